import type { EntityManager } from 'typeorm';

/**
 * Search that ignores case and diacritics ("KD" finds "KĐ", "dien luc" finds "Điện Lực"): the one
 * normalising function is the SQL function lims_fold() (migration SearchFolding), used on both sides
 * of every comparison and by the expression indexes behind them, so the query and the column are
 * always folded alike.
 */

/** A query folded once by lims_fold(), and the LIKE pattern of its prefix matches. */
export interface SearchTerms {
  folded: string;
  prefix: string;
}

/** One searched column: its table, the column, and the select list (`id`, `label`, `detail`) of a hit. */
export interface SearchedColumn {
  table: string;
  column: string;
  /** SQL select list giving id, label, detail (code constants only: never user input). */
  select: string;
  /** false: exact and prefix matches only (no trigram index on the column, e.g. tax codes). */
  similar?: boolean;
  /**
   * A code without spaces (serial, label code, number): a query with a space is a name, not looked for
   * in it by similarity. At 1,000,000 serials, "dien luc 1234"'s digit trigrams made the GIN scan of
   * the serials cost 200 ms for nothing (bench/search.bench.ts).
   */
  identifier?: boolean;
}

/** A hit of one column: 3 exact, 2 prefix, else the trigram word similarity (0..1). */
export interface RankedRow {
  id: string;
  label: string;
  detail: string | null;
  score: number;
}

export const EXACT_SCORE = 3;
export const PREFIX_SCORE = 2;

/** The least word similarity of a `similar` hit (pg_trgm.word_similarity_threshold, for that query only). */
export const SIMILARITY_THRESHOLD = 0.75;

/** Shorter queries get exact and prefix matches only: a trigram needs three characters. */
const MIN_SIMILAR_LENGTH = 3;

export async function searchTerms(manager: EntityManager, q: string): Promise<SearchTerms> {
  const [{ folded }] = (await manager.query(`SELECT public.lims_fold($1) AS folded`, [q])) as [{ folded: string }];
  return { folded, prefix: `${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

/**
 * Which matches a search asks a column for: `prefix` — exact matches, then prefix matches in order
 * (both on the btree index of lims_fold(column)); `similar` — the rest by pg_trgm word similarity
 * (the GIN index), best first. Callers ask for `similar` only when `prefix` found too little: it is
 * the slow half, and a "did you mean" rather than an answer.
 */
export type MatchMode = 'prefix' | 'similar';

/** The best `limit` hits of one column in this mode. */
export async function rankedMatches(
  manager: EntityManager,
  source: SearchedColumn,
  terms: SearchTerms,
  limit: number,
  mode: MatchMode,
): Promise<RankedRow[]> {
  const f = `public.lims_fold(${source.column})`;
  if (mode === 'prefix') {
    return (await manager.query(
      `(SELECT ${source.select}, ${EXACT_SCORE}::float8 AS score FROM ${source.table} WHERE ${f} = $1 LIMIT $3)
       UNION ALL
       (SELECT ${source.select}, ${PREFIX_SCORE}::float8 FROM ${source.table}
         WHERE ${f} LIKE $2 AND ${f} > $1 ORDER BY ${f} LIMIT $3)`,
      [terms.folded, terms.prefix, limit],
    )) as RankedRow[];
  }
  if (terms.folded.length < MIN_SIMILAR_LENGTH || source.similar === false) return [];
  if (source.identifier && /\s/.test(terms.folded)) return [];
  // pg_trgm's default threshold (0.6) lets "dien luc 1237" match all 5,000 "Điện lực …" of the bench
  // (160 ms); at 0.75 the GIN scan itself keeps ~400 and the query takes a tenth of that.
  return manager.transaction(async (m) => {
    await m.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(SIMILARITY_THRESHOLD)]);
    return (await m.query(
      `SELECT ${source.select}, public.word_similarity($1, ${f}) AS score FROM ${source.table}
       WHERE $1 OPERATOR(public.<%) ${f} AND ${f} NOT LIKE $2
       ORDER BY score DESC LIMIT $3`,
      [terms.folded, terms.prefix, limit],
    )) as RankedRow[];
  });
}
