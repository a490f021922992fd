/**
 * The records of a batch entry (README: batch entries) as one table instead of one object each:
 * `common` holds the fields every record has with the same value, once; `columns` one array per
 * other field, in the records' order (null where a record has no value). Keys and repeated values
 * are written once, so a 50,000-instrument import's entry is ≈ 6× smaller, and with it what the
 * hash chain costs (the jsonb → text and SHA-256 of the entry in the database, and its parameter's
 * text in the API): bench/README.md, instrument-import.
 *
 * A record read back (`recordFromTable`) is the record given, without its empty (null or
 * undefined) fields; key order is not kept (jsonb does not keep it either).
 */
export interface RecordTable {
  common: Record<string, unknown>;
  columns: Record<string, unknown[]>;
}

const isEmpty = (v: unknown): boolean => v === null || v === undefined;

/** A primitive the same in every record is common; anything else (objects, an empty value) is a column. */
function commonValue(records: readonly Record<string, unknown>[], key: string): { value: unknown } | undefined {
  const value = records[0]?.[key];
  if (isEmpty(value) || typeof value === 'object') return undefined;
  for (const r of records) if (r[key] !== value) return undefined;
  return { value };
}

/** The records as a table, without the fields named in `omit` (the batch's ids, a value given once beside it). */
export function toRecordTable(records: readonly object[], omit: readonly string[] = []): RecordTable {
  const rows = records as readonly Record<string, unknown>[];
  const keys = new Set<string>();
  let previous: string[] = [];
  for (const r of rows) {
    const own = Object.keys(r);
    // Rows of a batch nearly always have the same keys in the same order: looked at once.
    if (own.length === previous.length && own.every((k, i) => k === previous[i])) continue;
    for (const k of own) keys.add(k);
    previous = own;
  }
  for (const k of omit) keys.delete(k);
  const table: RecordTable = { common: {}, columns: {} };
  for (const key of keys) {
    const same = commonValue(rows, key);
    if (same) table.common[key] = same.value;
    else if (rows.some((r) => !isEmpty(r[key])))
      table.columns[key] = rows.map((r) => (isEmpty(r[key]) ? null : r[key]));
  }
  return table;
}

export function isRecordTable(value: unknown): value is RecordTable {
  const t = value as Partial<RecordTable> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    !Array.isArray(t) &&
    typeof t.common === 'object' &&
    t.common !== null &&
    typeof t.columns === 'object' &&
    t.columns !== null &&
    Object.values(t.columns).every(Array.isArray)
  );
}

/** The record at `index` (its common fields and its non-empty column values), or null past the end. */
export function recordFromTable(table: RecordTable, index: number, count: number): Record<string, unknown> | null {
  if (index < 0 || index >= count) return null;
  const record: Record<string, unknown> = { ...table.common };
  for (const [key, values] of Object.entries(table.columns)) {
    const value = values[index];
    if (!isEmpty(value)) record[key] = value;
  }
  return record;
}
