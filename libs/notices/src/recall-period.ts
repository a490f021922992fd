import type { RecallPeriod } from './notice.entities.js';

/** How far ahead the recall scan looks: the widest period. */
export const RECALL_HORIZON_DAYS = 60;

/**
 * The recall period an instrument is in, `daysUntilDue` days before its due date (negative: overdue):
 * overdue (< 0), due within 7 days (0–7, the due day included), 30 (8–30), 60 (31–60); null beyond.
 * A scan that missed a day still sends the period the instrument is in now, and never an earlier one
 * (an instrument registered 20 days before its due date gets the 30-day notice only).
 */
export function recallPeriod(daysUntilDue: number): RecallPeriod | null {
  if (!Number.isInteger(daysUntilDue)) throw new RangeError(`daysUntilDue must be an integer, got ${daysUntilDue}`);
  if (daysUntilDue < 0) return 'overdue';
  if (daysUntilDue <= 7) return 'due_7';
  if (daysUntilDue <= 30) return 'due_30';
  if (daysUntilDue <= RECALL_HORIZON_DAYS) return 'due_60';
  return null;
}
