/** One field of a record as the audit entry holds it, before and after the change. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

function show(value: unknown): string {
  if (value === undefined) return '∅';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function fields(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The fields whose value differs between the record's view before and after (all of them on a create). */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = fields(before);
  const a = fields(after);
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return names
    .filter((n) => JSON.stringify(b[n]) !== JSON.stringify(a[n]) && n !== 'updatedAt')
    .map((n) => ({ field: n, before: show(b[n]), after: show(a[n]) }));
}
