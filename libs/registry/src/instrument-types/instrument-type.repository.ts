import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import { decodeCursor } from '#libs/core';
import { escapeLike } from '../organizations/organization.repository.js';
import { InstrumentType, InstrumentTypeCycle } from './instrument-type.entity.js';

export interface InstrumentTypeFilter {
  limit: number;
  cursor?: string;
  q?: string;
  active?: boolean;
  service?: string;
}

/** The query builders of the instrument-type aggregate: `instrument_type` and its `instrument_type_cycle` history. */
@Injectable()
export class InstrumentTypeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of types (one more than the limit), by code then id. */
  list(filter: InstrumentTypeFilter): Promise<InstrumentType[]> {
    const qb = this.db
      .getRepository(InstrumentType)
      .createQueryBuilder('t')
      .orderBy('t.code', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.q) {
      const q = `%${escapeLike(filter.q)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w.where('t.code ILIKE :q', { q }).orWhere('t.name_vi ILIKE :q', { q }).orWhere('t.name_en ILIKE :q', { q }),
        ),
      );
    }
    if (filter.active !== undefined) qb.andWhere('t.active = :active', { active: filter.active });
    if (filter.service) qb.andWhere(':service = ANY(t.services)', { service: filter.service });
    if (filter.cursor) {
      const [code, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(t.code, t.id) > (:code, :id)', { code, id });
    }
    return qb.getMany();
  }

  /** A page of the type's cycle rows (one more than the limit), oldest effective date first. */
  cycles(typeId: string, page: { limit: number; cursor?: string }): Promise<InstrumentTypeCycle[]> {
    const qb = this.db
      .getRepository(InstrumentTypeCycle)
      .createQueryBuilder('c')
      .where('c.instrument_type_id = :id', { id: typeId })
      .orderBy('c.effective_from', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(page.limit + 1);
    if (page.cursor) {
      const [from, cid] = decodeCursor(page.cursor, ['date', 'uuid']);
      qb.andWhere('(c.effective_from, c.id) > (:from, :cid)', { from, cid });
    }
    return qb.getMany();
  }

  /** The cycle row in force on a date: the latest effective on or before it; null when none. */
  cycleOn(typeId: string, date: string): Promise<InstrumentTypeCycle | null> {
    return this.db
      .getRepository(InstrumentTypeCycle)
      .createQueryBuilder('c')
      .where('c.instrument_type_id = :id AND c.effective_from <= :date', { id: typeId, date })
      .orderBy('c.effective_from', 'DESC')
      .getOne();
  }
}
