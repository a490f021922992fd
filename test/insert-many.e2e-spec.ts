import { randomUUID } from 'node:crypto';
import { DataSource, EntitySchema } from 'typeorm';
import { insertMany } from '#libs/core';
import { createTestDatabase, type TestDatabase } from './support/database.js';

interface Row {
  id: string;
  ordinal: number;
  label: string | null;
  amount: string | null;
  payload: unknown;
}

const RowSchema = new EntitySchema<Row>({
  name: 'Row',
  tableName: 'insert_many_row',
  columns: {
    id: { type: 'uuid', primary: true },
    ordinal: { type: 'int' },
    label: { type: 'text', nullable: true },
    amount: { type: 'numeric', nullable: true },
    payload: { type: 'jsonb', nullable: true },
  },
});

/** What a jsonb column may be given: every JSON kind, text that needs escaping, and no value at all. */
const PAYLOADS: unknown[] = [
  { manufacturer: 'Tatsuno', serialNumber: 'B-1', placeSiteName: 'Cửa hàng số 5' },
  { quote: 'say "hi"', backslash: 'C:\\temp\\', both: '\\"', braces: '{a,b}', comma: 'a, b', newline: 'a\nb\tc' },
  { nested: { list: [1, 'ü', null, { deep: true }], empty: {} }, n: 12.5, big: 12345678901234567890 },
  ['an', 'array', 2, null],
  'a string',
  'null',
  '',
  42,
  0,
  true,
  false,
  null,
  undefined,
  { emoji: '🙂 đo lường', nul: null },
];

/** insertMany against a real PostgreSQL: each value stored as sent, a missing or null one as SQL NULL. */
describe('insertMany', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url, entities: [RowSchema] }).initialize();
    await db.query(
      'CREATE TABLE insert_many_row (id uuid PRIMARY KEY, ordinal int NOT NULL, label text, amount numeric, payload jsonb)',
    );
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('stores every jsonb value as its JSON, in the rows’ order, across chunks; null and undefined as SQL NULL', async () => {
    const rows: Row[] = Array.from({ length: 3 * PAYLOADS.length }, (_, i) => ({
      id: randomUUID(),
      ordinal: i,
      label: i % 4 === 0 ? null : `row "${i}" \\ {x}`,
      amount: i % 3 === 0 ? null : `${i}.25`,
      payload: PAYLOADS[i % PAYLOADS.length],
    }));
    // Chunks of 5: several statements, each of them in order.
    await db.transaction((m) => insertMany(m, RowSchema, rows, 5));
    const stored = (await db.query(
      `SELECT id, ordinal, label, amount::text AS amount, payload, payload IS NULL AS "isNull"
         FROM insert_many_row ORDER BY ordinal`,
    )) as (Row & { isNull: boolean })[];
    expect(stored).toHaveLength(rows.length);
    for (const [i, row] of rows.entries()) {
      const absent = row.payload === null || row.payload === undefined;
      expect(stored[i]).toEqual({
        id: row.id,
        ordinal: i,
        label: row.label,
        amount: row.amount,
        // jsonb's own reading of the value's JSON (numbers beyond double precision as JSON.stringify wrote them).
        payload: absent ? null : JSON.parse(JSON.stringify(row.payload)),
        isNull: absent,
      });
    }
    // The JSON string "null" and the JSON null are different values; only the missing ones are SQL NULL.
    const [{ sqlNulls, jsonNulls }] = (await db.query(
      `SELECT count(*) FILTER (WHERE payload IS NULL)::int AS "sqlNulls",
              count(*) FILTER (WHERE jsonb_typeof(payload) = 'null')::int AS "jsonNulls"
         FROM insert_many_row`,
    )) as [{ sqlNulls: number; jsonNulls: number }];
    expect(sqlNulls).toBe(6);
    expect(jsonNulls).toBe(0);
  });

  it('stores jsonb values exactly as a single-row INSERT of their JSON would', async () => {
    const mismatched = (await db.query(
      `SELECT r.ordinal FROM insert_many_row r
         JOIN jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n) ON e.n - 1 = r.ordinal % $2
        WHERE r.payload IS DISTINCT FROM NULLIF(e.value, 'null'::jsonb)`,
      [JSON.stringify(PAYLOADS), PAYLOADS.length],
    )) as { ordinal: number }[];
    expect(mismatched).toEqual([]);
  });

  it('refuses a json (not jsonb) column rather than store it through jsonb', async () => {
    const JsonSchema = new EntitySchema<{ id: string; doc: unknown }>({
      name: 'JsonRow',
      tableName: 'insert_many_json',
      columns: { id: { type: 'uuid', primary: true }, doc: { type: 'json' } },
    });
    const other = await new DataSource({ type: 'postgres', url: database.url, entities: [JsonSchema] }).initialize();
    try {
      await expect(
        other.transaction((m) => insertMany(m, JsonSchema, [{ id: randomUUID(), doc: {} }])),
      ).rejects.toThrow(/is json: use jsonb/);
    } finally {
      await other.destroy();
    }
  });
});
