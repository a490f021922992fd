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
 */
export async function takeNextInSeries(
  tx: Tx,
  table: SeriesTable,
  kinds: readonly string[],
  year: number,
): Promise<number[]> {
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

/** The calendar year in Viet Nam (UTC+7) at `instant`: the year a series numbers in. */
export function vietnamYear(instant: Date): number {
  return new Date(instant.getTime() + 7 * 3600_000).getUTCFullYear();
}
