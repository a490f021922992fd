import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor } from '#libs/core';
import { CalibrationTemplate } from './template.entity.js';

export interface TemplateFilter {
  limit: number;
  cursor?: string;
  instrumentTypeId?: string;
  service?: string;
  active?: boolean;
}

/** The query builders of the calibration-template aggregate (`calibration_template`). */
@Injectable()
export class TemplateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of templates (one more than the limit), by name then id. */
  list(filter: TemplateFilter): Promise<CalibrationTemplate[]> {
    const qb = this.db
      .getRepository(CalibrationTemplate)
      .createQueryBuilder('t')
      .orderBy('t.name', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.instrumentTypeId) qb.andWhere('t.instrument_type_id = :type', { type: filter.instrumentTypeId });
    if (filter.service) qb.andWhere(':service = ANY(t.services)', { service: filter.service });
    if (filter.active !== undefined) qb.andWhere('t.active = :active', { active: filter.active });
    if (filter.cursor) {
      const [name, cid] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(t.name, t.id) > (:name, :cid)', { name, cid });
    }
    return qb.getMany();
  }
}
