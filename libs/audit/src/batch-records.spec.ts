import { narrowToRecord } from './audit-trail.service.js';
import { isRecordTable, recordFromTable, toRecordTable } from './batch-records.js';
import type { AuditEventView } from './dto/audit.dto.js';

const records = [
  { id: 'a', ownerId: 'o', model: 'SUNNY-2', serialNumber: 'S-1', rangeMax: '60', siteName: null, note: { n: 1 } },
  { id: 'b', ownerId: 'o', model: 'SUNNY-2', serialNumber: 'S-2', rangeMax: '60', siteName: 'Cửa hàng 2' },
  { id: 'c', ownerId: 'o', model: 'SUNNY-2', serialNumber: 'S-3', rangeMax: '100', siteName: undefined, flag: false },
];

/** The record without its empty fields (what a batch entry keeps of it). */
const registered = (r: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));

describe('batch records as a table', () => {
  it('keeps every record (without empty fields): shared primitives once, the rest one array per field', () => {
    const table = toRecordTable(records, ['id', 'ownerId']);
    expect(table).toEqual({
      common: { model: 'SUNNY-2' },
      columns: {
        serialNumber: ['S-1', 'S-2', 'S-3'],
        rangeMax: ['60', '60', '100'],
        siteName: [null, 'Cửa hàng 2', null],
        note: [{ n: 1 }, null, null],
        flag: [null, null, false],
      },
    });
    // Through JSON (the jsonb column) and back, each record is the one given, without id and owner.
    const stored = JSON.parse(JSON.stringify(table)) as unknown;
    expect(isRecordTable(stored)).toBe(true);
    records.forEach((r, i) => {
      const rest: Record<string, unknown> = { ...r, id: undefined, ownerId: undefined };
      expect(recordFromTable(stored as typeof table, i, records.length)).toEqual(registered(rest));
    });
    expect(recordFromTable(table, 3, records.length)).toBeNull();
    expect(recordFromTable(table, -1, records.length)).toBeNull();
  });

  it('a field no record fills is left out; one record: every field common', () => {
    expect(toRecordTable([{ a: null }, { a: undefined }])).toEqual({ common: {}, columns: {} });
    expect(toRecordTable([{ a: '1', b: 2 }])).toEqual({ common: { a: '1', b: 2 }, columns: {} });
    expect(toRecordTable([])).toEqual({ common: {}, columns: {} });
  });

  it('is told apart from other values', () => {
    expect(isRecordTable([{ a: 1 }])).toBe(false);
    expect(isRecordTable(null)).toBe(false);
    expect(isRecordTable({ common: {}, columns: { a: 'x' } })).toBe(false);
    expect(isRecordTable({ common: {}, columns: {} })).toBe(true);
  });
});

describe('narrowToRecord', () => {
  const view = (after: unknown): AuditEventView => ({
    id: '1',
    occurredAt: '2026-12-01T00:00:00.000Z',
    actor: { kind: 'staff', id: 'u', name: 'U' },
    entity: 'instrument',
    entityId: 'batch',
    action: 'import',
    before: null,
    after,
    reason: null,
  });

  it('shows the one record asked for, from a table (with its id) or from an array', () => {
    const recordIds = records.map((r) => r.id);
    const table = view({ ownerId: 'o', rows: 3, recordIds, records: toRecordTable(records, ['id', 'ownerId']) });
    expect(narrowToRecord(table, 'b').after).toEqual({
      ownerId: 'o',
      rows: 3,
      recordCount: 3,
      record: { id: 'b', model: 'SUNNY-2', serialNumber: 'S-2', rangeMax: '60', siteName: 'Cửa hàng 2' },
    });
    expect(narrowToRecord(table, 'nobody').after).toMatchObject({ recordCount: 3, record: null });
    // Asked for by the batch's own id, or with no id: the whole entry.
    expect(narrowToRecord(table, 'batch')).toBe(table);
    expect(narrowToRecord(table, undefined)).toBe(table);

    const array = view({ recordIds, records: records.map(registered) });
    expect(narrowToRecord(array, 'c').after).toEqual({ recordCount: 3, record: registered(records[2]!) });
  });

  it('leaves an entry that is not a batch as it is', () => {
    const plain = view({ serialNumber: 'S-1' });
    expect(narrowToRecord(plain, 'a')).toBe(plain);
    const odd = view({ recordIds: ['a'], records: 'not records' });
    expect(narrowToRecord(odd, 'a')).toBe(odd);
  });
});
