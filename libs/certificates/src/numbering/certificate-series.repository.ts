import { Injectable } from '@nestjs/common';
import type { Tx } from '#libs/core';
import type { SeriesKind } from './numbering.js';

/**
 * The SQL of the number series (`certificate_series`): takes the next numbers inside the caller's
 * transaction. The upsert is an `UPDATE … SET last = last + 1 … RETURNING` on an existing row (and
 * creates the row of a new year): either way the row stays locked until the transaction ends, so
 * concurrent issuers of the series queue behind it, and a rollback gives the number back. Gapless as
 * long as a number is only ever taken in the transaction that commits what carries it.
 */
@Injectable()
export class CertificateSeriesRepository {
  /**
   * The next number of each series, in one statement (one round trip while the series are locked).
   * Rows are locked in the order given: callers give them in one fixed order.
   */
  async takeNextNumbers(tx: Tx, kinds: readonly SeriesKind[], year: number): Promise<number[]> {
    if (kinds.length === 1) return [await this.takeNextNumber(tx, kinds[0]!, year)];
    const rows = (await tx.manager.query(
      `INSERT INTO certificate_series (kind, year, last)
       SELECT kind, $2, 1 FROM unnest($1::text[]) WITH ORDINALITY AS k(kind, n) ORDER BY n
       ON CONFLICT (kind, year) DO UPDATE SET last = certificate_series.last + 1
       RETURNING kind, last`,
      [kinds, year],
    )) as { kind: SeriesKind; last: number }[];
    return kinds.map((kind) => Number(rows.find((r) => r.kind === kind)!.last));
  }

  private async takeNextNumber(tx: Tx, kind: SeriesKind, year: number): Promise<number> {
    const rows = (await tx.manager.query(
      `INSERT INTO certificate_series (kind, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (kind, year) DO UPDATE SET last = certificate_series.last + 1
       RETURNING last`,
      [kind, year],
    )) as { last: number }[];
    return Number(rows[0]!.last);
  }
}
