import type { Tx } from '../unit-of-work/unit-of-work.js';

/** A table of gapless counters: `(kind text, year integer, last integer)` with primary key (kind, year). */
export type SeriesTable = 'certificate_series' | 'request_series';

/**
 * Takes the next numbers of gapless series inside the caller's transaction. The upsert is an
 * `UPDATE … SET last = last + 1 … RETURNING` on an existing row (and creates the row of a new year):
 * either way the row stays locked until the transaction ends, so concurrent takers of one series
 * queue behind it, and a rollback gives the number back. Gapless as long as a number is only ever
 * taken in the transaction that commits what carries it. Rows are locked in the order given: callers
 * give several kinds in one fixed order.
 *
 * `inTurn`: takers also get the numbers in the order they asked. Waiters on a row lock do not (when
 * the holder commits, an upsert that waited retries and any of them may win); waiters on a
 * transaction-level advisory lock, keyed on the table, the first kind and the year and taken in the
 * same statement before the rows, do (PostgreSQL grants a lock to its waiters first come, first
 * served). Still one statement, still released at the end of the transaction, and a wait PostgreSQL
 * sees (deadlock detection, lock_timeout). For a caller that guesses its number from its place in
 * the queue (certificates' NumberForecast).
 */
export async function takeNextInSeries(
  tx: Tx,
  table: SeriesTable,
  kinds: readonly string[],
  year: number,
  options: { inTurn?: boolean } = {},
): Promise<number[]> {
  if (options.inTurn) return takeInTurn(tx, table, kinds, year);
  if (kinds.length === 1) {
    const rows = (await tx.manager.query(
      `INSERT INTO ${table} (kind, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (kind, year) DO UPDATE SET last = ${table}.last + 1
       RETURNING last`,
      [kinds[0], year],
    )) as { last: number }[];
    return [Number(rows[0]!.last)];
  }
  const rows = (await tx.manager.query(
    `INSERT INTO ${table} (kind, year, last)
     SELECT kind, $2, 1 FROM unnest($1::text[]) WITH ORDINALITY AS k(kind, n) ORDER BY n
     ON CONFLICT (kind, year) DO UPDATE SET last = ${table}.last + 1
     RETURNING kind, last`,
    [kinds, year],
  )) as { kind: string; last: number }[];
  return kinds.map((kind) => Number(rows.find((r) => r.kind === kind)!.last));
}

/**
 * takeNextInSeries with `inTurn`: the advisory lock's one row is joined to the kinds, so it is taken
 * (and waited for) before the first row is written. A volatile function: the CTE is not inlined.
 */
async function takeInTurn(tx: Tx, table: SeriesTable, kinds: readonly string[], year: number): Promise<number[]> {
  const rows = (await tx.manager.query(
    `WITH turn AS (SELECT pg_advisory_xact_lock(hashtextextended($3, 0)))
     INSERT INTO ${table} (kind, year, last)
     SELECT kind, $2, 1 FROM turn, unnest($1::text[]) WITH ORDINALITY AS k(kind, n) ORDER BY n
     ON CONFLICT (kind, year) DO UPDATE SET last = ${table}.last + 1
     RETURNING kind, last`,
    [kinds, year, `${table}:${kinds[0]}:${year}`],
  )) as { kind: string; last: number }[];
  return kinds.map((kind) => Number(rows.find((r) => r.kind === kind)!.last));
}

/** The calendar year in Viet Nam (UTC+7) at `instant`: the year a series numbers in. */
export function vietnamYear(instant: Date): number {
  return new Date(instant.getTime() + 7 * 3600_000).getUTCFullYear();
}
