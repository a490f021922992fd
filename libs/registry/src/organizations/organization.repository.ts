import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import { decodeCursor, rankedMatches, type MatchMode, type RankedRow, type SearchTerms } from '#libs/core';
import { Organization } from './organization.entity.js';

/** `s` as a literal inside a LIKE pattern (its %, _ and \ escaped). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface OrganizationFilter {
  limit: number;
  cursor?: string;
  /** A business's own organization. */
  scope?: string;
  q?: string;
  active?: boolean;
}

/** The query builders of the organization aggregate (`organization`). */
@Injectable()
export class OrganizationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Organizations whose name or tax code matches, best first (core's rankedMatches on each column). */
  async search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    const select = `id, name AS label, tax_code AS detail`;
    const [byName, byTaxCode] = await Promise.all([
      rankedMatches(this.db.manager, { table: 'organization', column: 'name', select }, terms, limit, mode),
      rankedMatches(
        this.db.manager,
        { table: 'organization', column: 'tax_code', select, similar: false },
        terms,
        limit,
        mode,
      ),
    ]);
    return [...byName, ...byTaxCode];
  }

  /** A page of organizations (one more than the limit), by name then id; `q` matches the name or a tax-code prefix. */
  list(filter: OrganizationFilter): Promise<Organization[]> {
    const qb = this.db
      .getRepository(Organization)
      .createQueryBuilder('o')
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.scope) qb.andWhere('o.id = :scope', { scope: filter.scope });
    if (filter.q) {
      const q = filter.q;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('o.name ILIKE :q', { q: `%${escapeLike(q)}%` })
            .orWhere('o.tax_code LIKE :p', { p: `${escapeLike(q)}%` }),
        ),
      );
    }
    if (filter.active !== undefined) qb.andWhere('o.active = :active', { active: filter.active });
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(o.name, o.id) > (:name, :id)', { name, id });
    }
    return qb.getMany();
  }
}
