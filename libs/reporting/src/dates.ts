/** The first day of the month `n` months after the month of `date`. */
export function monthStart(date: string, n = 0): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday–Friday days in the month starting on `start`. */
export function workingDays(start: string): number {
  const d = new Date(`${start}T00:00:00Z`);
  const month = d.getUTCMonth();
  let n = 0;
  while (d.getUTCMonth() === month) {
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) n++;
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return n;
}
