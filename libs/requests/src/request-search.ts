import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { searchTerms, type MatchMode, type RankedRow, type SearchTerms } from '#libs/core';
import { canonicalRequestNumber } from './request-number.js';
import { RequestRepository } from './request.repository.js';

/** Requests by number for the staff search: a number typed loosely (`yc-2026-123`) is read exactly. */
@Injectable()
export class RequestSearch {
  constructor(
    private readonly repository: RequestRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async search(q: string, terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    if (mode === 'similar') return this.repository.search(terms, limit, mode);
    const canonical = canonicalRequestNumber(q);
    const exact = canonical ? await this.repository.search(await searchTerms(this.db.manager, canonical), 1, mode) : [];
    return [...exact, ...(await this.repository.search(terms, limit, mode))];
  }
}
