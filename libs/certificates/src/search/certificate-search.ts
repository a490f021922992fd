import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { searchTerms, type MatchMode, type RankedRow, type SearchTerms } from '#libs/core';
import { CertificateRepository } from '../certificate.repository.js';
import { CertificateStoreModule } from '../certificate-store.module.js';
import { canonicalCertificateNumber } from '../numbering/numbering.js';

/** Certificates by number for the staff search: "KD-2026-1" is read as KĐ-2026-000001 and found exactly. */
@Injectable()
export class CertificateSearch {
  constructor(
    private readonly repository: CertificateRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async search(q: string, terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    if (mode === 'similar') return this.repository.search(terms, limit, mode);
    const canonical = canonicalCertificateNumber(q);
    const exact = canonical ? await this.repository.search(await searchTerms(this.db.manager, canonical), 1, mode) : [];
    return [...exact, ...(await this.repository.search(terms, limit, mode))];
  }
}

/** Certificate search alone: no issuing, no certificate source (what the search library imports). */
@Module({
  imports: [CertificateStoreModule],
  providers: [CertificateSearch],
  exports: [CertificateSearch],
})
export class CertificateSearchModule {}
