export type DueState = 'overdue' | 'soon' | 'ok' | 'none';

/** Where a due date (yyyy-MM-dd) stands on `today`: past, within `soonDays`, later, or none. */
export function dueState(dueDate: string | null | undefined, soonDays: number, today: string): DueState {
  if (!dueDate) return 'none';
  if (dueDate < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + soonDays);
  return dueDate <= soon.toISOString().slice(0, 10) ? 'soon' : 'ok';
}
