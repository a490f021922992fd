import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXACT_SCORE, PREFIX_SCORE, searchTerms, type MatchMode, type RankedRow, type SearchTerms } from '#libs/core';
import { CertificateSearch } from '#libs/certificates';
import { InstrumentService, OrganizationService } from '#libs/registry';
import { RequestSearch } from '#libs/requests';
import { SEARCH_KINDS, type SearchHitView, type SearchKind, type SearchResultView } from './dto/search.dto.js';

const HREF: Readonly<Record<SearchKind, string>> = {
  request: '/requests',
  certificate: '/certificates',
  instrument: '/instruments',
  organization: '/organizations',
};

/**
 * One search box for staff: requests (number), certificates (number), instruments (serial, label
 * code), organizations (name, tax code). Each library searches its own tables (folded with core's
 * lims_fold()); this ranks the hits together: exact, then prefix, then trigram similarity.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: RequestSearch,
    private readonly certificates: CertificateSearch,
    private readonly instruments: InstrumentService,
    private readonly organizations: OrganizationService,
  ) {}

  /**
   * Exact and prefix matches of every kind first; only when none is exact and they are fewer than
   * `limit`, similar ones (trigram) fill the rest: the slow half runs only when it can help.
   */
  async search(q: string, limit: number): Promise<SearchResultView> {
    const terms = await searchTerms(this.db.manager, q);
    const hits = new Map<string, SearchHitView>();
    await this.collect(hits, q, terms, limit, 'prefix');
    const exact = [...hits.values()].some((h) => h.match === 'exact');
    if (!exact && hits.size < limit) await this.collect(hits, q, terms, limit - hits.size, 'similar');
    return { items: [...hits.values()].sort(byRank).slice(0, limit) };
  }

  private async collect(
    hits: Map<string, SearchHitView>,
    q: string,
    terms: SearchTerms,
    limit: number,
    mode: MatchMode,
  ): Promise<void> {
    const found = await Promise.all([
      this.requests.search(q, terms, limit, mode),
      this.certificates.search(q, terms, limit, mode),
      this.instruments.search(terms, limit, mode),
      this.organizations.search(terms, limit, mode),
    ]);
    found.forEach((rows, k) => {
      for (const row of rows) keepBest(hits, toHit(SEARCH_KINDS[k]!, row));
    });
  }
}

function toHit(kind: SearchKind, row: RankedRow): SearchHitView {
  const score = Number(row.score);
  const match = score >= EXACT_SCORE ? 'exact' : score >= PREFIX_SCORE ? 'prefix' : 'similar';
  return { kind, id: row.id, label: row.label, detail: row.detail, match, score, href: `${HREF[kind]}/${row.id}` };
}

/** One hit per record: the best of its matches (an instrument may match by serial and by label code). */
function keepBest(hits: Map<string, SearchHitView>, hit: SearchHitView): void {
  const key = `${hit.kind}:${hit.id}`;
  const seen = hits.get(key);
  if (!seen || seen.score < hit.score) hits.set(key, hit);
}

/** Best score first; ties by kind (requests, certificates, instruments, organizations), then label. */
function byRank(a: SearchHitView, b: SearchHitView): number {
  return (
    b.score - a.score ||
    SEARCH_KINDS.indexOf(a.kind) - SEARCH_KINDS.indexOf(b.kind) ||
    a.label.localeCompare(b.label) ||
    a.id.localeCompare(b.id)
  );
}
