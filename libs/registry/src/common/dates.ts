/** Calendar dates ('YYYY-MM-DD'): due dates and effective dates are days, not instants. */

/** The centre's "today": the calendar date in Viet Nam (UTC+7), whatever the server's time zone. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** date + n days, as a calendar date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * date + n months, clamped to the month's end as PostgreSQL does (2024-01-31 + 1 month = 2024-02-29).
 * The SQL recomputation of next due dates uses PostgreSQL's own arithmetic; this mirrors it for tests and views.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
