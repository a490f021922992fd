import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import { decodeCursor, type Tx } from '#libs/core';
import { escapeLike } from '../organizations/organization.repository.js';
import type { AdminUnitLevel } from './admin-unit.entity.js';
import { AdminUnit } from './admin-unit.entity.js';

export interface AdminUnitFilter {
  limit: number;
  cursor?: string;
  level?: AdminUnitLevel;
  parent?: string;
  q?: string;
  current: boolean;
}

/** Addresses moved to a successor when a unit is retired, per table. */
export interface MovedReferences {
  organizations: number;
  instruments: number;
  communes: number;
}

/** A unit as name matching needs it, with its name folded by lims_fold (case, diacritics, Đ → D). */
export interface FoldedUnit {
  id: string;
  code: string;
  name: string;
  level: AdminUnitLevel;
  parentId: string | null;
  effectiveTo: string | null;
  successorId: string | null;
  confidence: string;
  folded: string;
}

/** The SQL of the administrative-unit aggregate (`admin_unit`) and of the references to it. */
@Injectable()
export class AdminUnitRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page (one more than the limit) by name then id, with parent and successor loaded. */
  list(filter: AdminUnitFilter): Promise<AdminUnit[]> {
    const qb = this.db
      .getRepository(AdminUnit)
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.parent', 'p')
      .leftJoinAndSelect('u.successor', 's')
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.level) qb.andWhere('u.level = :level', { level: filter.level });
    if (filter.parent) qb.andWhere('u.parent_id = :parent', { parent: filter.parent });
    if (filter.current) qb.andWhere('u.effective_to IS NULL');
    if (filter.q) {
      const q = filter.q;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('public.lims_fold(u.name) LIKE public.lims_fold(:q)', { q: `%${escapeLike(q)}%` })
            .orWhere('u.code LIKE :p', { p: `${escapeLike(q)}%` }),
        ),
      );
    }
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(u.name, u.id) > (:name, :id)', { name, id });
    }
    return qb.getMany();
  }

  find(tx: Tx | undefined, id: string): Promise<AdminUnit | null> {
    return (tx?.manager ?? this.db.manager)
      .getRepository(AdminUnit)
      .findOne({ where: { id }, relations: { parent: true, successor: true } });
  }

  findMany(tx: Tx | undefined, ids: readonly string[]): Promise<AdminUnit[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return (tx?.manager ?? this.db.manager)
      .getRepository(AdminUnit)
      .createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  /**
   * Every unit (the reference list is small: the provinces and the centre's communes), current and
   * retired, with its folded name; and the given texts folded by the same lims_fold().
   */
  async folded(
    tx: Tx | undefined,
    texts: readonly string[],
  ): Promise<{ units: FoldedUnit[]; texts: Map<string, string> }> {
    const manager = tx?.manager ?? this.db.manager;
    const units = (await manager.query(
      `SELECT id, code, name, level, parent_id AS "parentId", effective_to::text AS "effectiveTo",
              successor_id AS "successorId", confidence, public.lims_fold(name) AS folded
         FROM admin_unit`,
    )) as FoldedUnit[];
    const folded = (await manager.query(`SELECT t, public.lims_fold(t) AS f FROM unnest($1::text[]) t`, [
      [...new Set(texts)],
    ])) as { t: string; f: string }[];
    return { units, texts: new Map(folded.map((r) => [r.t, r.f])) };
  }

  /** The unit, locked for a change. */
  locked(tx: Tx, id: string): Promise<AdminUnit | null> {
    return tx.manager.getRepository(AdminUnit).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(tx: Tx, unit: AdminUnit): Promise<AdminUnit> {
    return tx.manager.getRepository(AdminUnit).save(unit);
  }

  /**
   * Every current reference to `from` now points at `to` (a merger): organizations' and instruments'
   * addresses, and a retired province's communes. The instruments' `district` history is untouched.
   */
  async moveReferences(tx: Tx, from: AdminUnit, to: AdminUnit): Promise<MovedReferences> {
    const column = from.level === 'province' ? 'province' : 'commune';
    const run = async (sql: string): Promise<number> => {
      const [, count] = (await tx.manager.query(sql, [from.id, to.id])) as [unknown, number];
      return count;
    };
    const organizations = await run(`UPDATE organization SET ${column}_unit_id = $2 WHERE ${column}_unit_id = $1`);
    const instruments = await run(
      `UPDATE instrument
          SET ${column}_unit_id = CASE WHEN ${column}_unit_id = $1 THEN $2 ELSE ${column}_unit_id END,
              place_${column}_unit_id = CASE WHEN place_${column}_unit_id = $1 THEN $2 ELSE place_${column}_unit_id END
        WHERE ${column}_unit_id = $1 OR place_${column}_unit_id = $1`,
    );
    const communes =
      from.level === 'province'
        ? await run(`UPDATE admin_unit SET parent_id = $2 WHERE parent_id = $1 AND effective_to IS NULL`)
        : 0;
    return { organizations, instruments, communes };
  }
}
