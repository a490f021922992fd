import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { In } from 'typeorm';
import type { AuditActor } from '#libs/audit';
import {
  compileValidation,
  flattenValidationErrors,
  InvalidInputError,
  UnitOfWork,
  UnprocessableError,
  type FieldError,
  type Principal,
  type Tx,
} from '#libs/core';
import { AdminUnitService } from '../../admin-units/admin-unit.service.js';
import type { UnitMatch, UnitNames } from '../../admin-units/unit-names.js';
import type { AdminUnitLevel } from '../../admin-units/admin-unit.entity.js';
import { InstrumentType } from '../../instrument-types/instrument-type.entity.js';
import { CreateInstrumentDto, PlaceOfUseDto } from '../dto/instrument.dto.js';
import { InstrumentService, type BulkProblems } from '../instrument.service.js';
import type { InstrumentImportQuery, InstrumentImportReport } from './instrument-import.dto.js';
import {
  columnOf,
  readSheet,
  rowToDto,
  sheetFormat,
  sheetRows,
  type SheetProblem,
  type SheetRow,
} from './instrument-sheet.js';

/** CreateInstrumentDto's own rules, compiled once: a valid row skips class-validator's per-object work. */
const isValidInstrument = compileValidation(CreateInstrumentDto);

/** What the upload hands over (multer's memory storage). */
export interface UploadedSheet {
  buffer: Buffer;
}

/** A row that passed the DTO's rules, with its DTO. */
interface ValidRow {
  row: number;
  values: SheetRow['values'];
  dto: CreateInstrumentDto;
}

/**
 * Instruments from a spreadsheet (XLSX or CSV): every row is checked by CreateInstrumentDto's own
 * rules (class-validator) and by InstrumentService.checkMany (references, ranges, units, duplicates
 * in the file and in the registry), so the import holds no rule of its own. A dry run answers every
 * problem (row, column, message); the import writes all rows in one transaction, or none.
 */
@Injectable()
export class InstrumentImport {
  constructor(
    private readonly instruments: InstrumentService,
    private readonly units: AdminUnitService,
    private readonly uow: UnitOfWork,
  ) {}

  async run(
    file: UploadedSheet | undefined,
    query: InstrumentImportQuery,
    principal: Principal & AuditActor,
  ): Promise<InstrumentImportReport> {
    if (!file?.buffer?.length)
      throw new InvalidInputError([{ field: 'file', message: 'send the XLSX or CSV as the multipart field "file"' }]);
    const ownerId = (principal.kind === 'business' ? principal.organizationId : undefined) ?? query.ownerId;
    if (!ownerId) throw new InvalidInputError([{ field: 'ownerId', message: 'ownerId is required' }]);
    const table = await readTable(file.buffer);
    const { rows, problems } = sheetRows(table);
    return this.uow.run(async (tx) => {
      const read = problems.length ? [] : await this.validRows(tx, rows, problems);
      const { valid, warnings } = await this.placeUnits(tx, read, problems);
      const checked = await this.instruments.checkMany(
        tx,
        ownerId,
        valid.map((v) => v.dto),
      );
      problems.push(...bulkProblems(checked.problems, valid));
      const report = {
        format: sheetFormat(file.buffer),
        dryRun: query.dryRun,
        rows: rows.length,
        valid: rows.length - new Set(problems.map((p) => p.row)).size,
        imported: 0,
        problems: byCell(problems),
        warnings,
      };
      if (query.dryRun) return report;
      if (problems.length) throw refusal(report.problems);
      await this.instruments.insertImported(tx, principal, checked.rows, {
        format: report.format,
        rows: report.rows,
        file: { sha256: createHash('sha256').update(file.buffer).digest('hex'), bytes: file.buffer.length },
      });
      return { ...report, imported: checked.rows.length };
    });
  }

  /**
   * The place of use's `province` and `commune` cells (name or code) matched to the centre's current
   * units and given to the DTO as ids (the registry's own checks follow in checkMany); a row naming
   * an unknown, ambiguous or misplaced unit gets a problem on that column. Without either, the
   * instrument takes its owner's units (createMany's rule).
   */
  private async placeUnits(
    tx: Tx,
    valid: ValidRow[],
    problems: SheetProblem[],
  ): Promise<{ valid: ValidRow[]; warnings: SheetProblem[] }> {
    const texts = valid.flatMap((v) => [v.values.province, v.values.commune].filter((t): t is string => !!t));
    if (!texts.length) return { valid, warnings: [] };
    const match = cachedMatcher(await this.units.names(tx, texts));
    const warnings = new Warnings();
    const kept: ValidRow[] = [];
    for (const v of valid) {
      const { province, commune } = v.values;
      const p = province ? match(province, 'province', null) : null;
      const c = commune && !(p && 'error' in p) ? match(commune, 'commune', p && 'unit' in p ? p.unit.id : null) : null;
      const errors = [
        ...(p && 'error' in p ? [{ row: v.row, column: 'province', message: p.error }] : []),
        ...(c && 'error' in c ? [{ row: v.row, column: 'commune', message: c.error }] : []),
      ];
      problems.push(...errors);
      if (errors.length) continue;
      if (p && 'unit' in p) warnings.add(v.row, 'province', province!, p.warning);
      if (c && 'unit' in c) warnings.add(v.row, 'commune', commune!, c.warning);
      const place = v.dto.placeOfUse ?? new PlaceOfUseDto();
      place.provinceId = p && 'unit' in p ? p.unit.id : null;
      place.communeId = c && 'unit' in c ? c.unit.id : null;
      if (place.provinceId || place.communeId) v.dto.placeOfUse = place;
      kept.push(v);
    }
    return { valid: kept, warnings: warnings.list() };
  }

  /**
   * Each row through CreateInstrumentDto's validation (its compiled rules, class-validator for a row
   * they refuse); the type code resolved to the type's id.
   */
  private async validRows(tx: Tx, rows: SheetRow[], problems: SheetProblem[]): Promise<ValidRow[]> {
    const codes = [...new Set(rows.flatMap((r) => (r.values.typeCode ? [r.values.typeCode] : [])))];
    const types = new Map(
      (await tx.manager.getRepository(InstrumentType).findBy({ code: In(codes) })).map((t) => [t.code, t.id]),
    );
    const valid: ValidRow[] = [];
    for (const row of rows) {
      const code = row.values.typeCode;
      const typeId = code ? types.get(code) : undefined;
      const dto = rowToDto(row, typeId);
      // Only a row that may be invalid goes through validateSync, for its messages.
      const errors = isValidInstrument?.(dto)
        ? []
        : flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
      const own = errors.filter((e) => e.field !== 'instrumentTypeId').map((e) => toProblem(row.row, e));
      if (!code) own.push({ row: row.row, column: 'typeCode', message: 'typeCode should not be empty' });
      else if (!typeId)
        own.push({ row: row.row, column: 'typeCode', message: `no instrument type has the code ${code}` });
      problems.push(...own);
      if (!own.length) valid.push({ row: row.row, values: row.values, dto });
    }
    return valid;
  }
}

/** Warnings of one column and text, on the first row that gives it, counting the rows. */
class Warnings {
  private readonly seen = new Map<string, SheetProblem & { rows: number }>();

  add(row: number, column: string, text: string, message: string | null): void {
    if (!message) return;
    const key = JSON.stringify([column, text]);
    const known = this.seen.get(key);
    if (known) known.rows++;
    else this.seen.set(key, { row, column, message, rows: 1 });
  }

  list(): SheetProblem[] {
    return [...this.seen.values()].map(({ rows, ...w }) => ({
      ...w,
      message: rows > 1 ? `${w.message} (${rows} rows)` : w.message,
    }));
  }
}

/** Each distinct (text, level, province) matched once: 50,000 rows name a few units. */
function cachedMatcher(
  names: UnitNames,
): (text: string, level: AdminUnitLevel, provinceId: string | null) => UnitMatch {
  const cache = new Map<string, UnitMatch>();
  return (text, level, provinceId) => {
    const key = JSON.stringify([text, level, provinceId]);
    if (!cache.has(key)) cache.set(key, names.match(text, level, provinceId));
    return cache.get(key)!;
  };
}

async function readTable(bytes: Buffer): Promise<string[][]> {
  try {
    return await readSheet(bytes);
  } catch (e) {
    throw new InvalidInputError([
      {
        field: 'file',
        message: `the file is neither an XLSX workbook nor a CSV: ${(e as Error).message.slice(0, 200)}`,
      },
    ]);
  }
}

/** One problem per cell, its messages joined, by row then column. */
function byCell(problems: SheetProblem[]): SheetProblem[] {
  const cells = new Map<string, SheetProblem>();
  for (const p of problems) {
    const key = JSON.stringify([p.row, p.column]);
    const known = cells.get(key);
    if (!known) cells.set(key, { ...p });
    else if (!known.message.includes(p.message)) known.message += `; ${p.message}`;
  }
  return [...cells.values()].sort((a, b) => a.row - b.row || (a.column ?? '').localeCompare(b.column ?? ''));
}

function toProblem(row: number, e: FieldError): SheetProblem {
  return { row, column: columnOf(e.field), message: e.message };
}

/** checkMany's problems name `[i].field` of the rows it was given: back to the sheet's row and column. */
function bulkProblems(p: BulkProblems, valid: ValidRow[]): SheetProblem[] {
  return [...p.references, ...p.places, ...p.ranges, ...p.units, ...p.duplicates].map((e) => {
    const index = /^\[(\d+)\]/.exec(e.field);
    const row = index ? valid[Number(index[1])]!.row : 1;
    const message = e.message.replace(/\[(\d+)\]/g, (_, i: string) => `row ${valid[Number(i)]!.row}`);
    return { row, column: index ? columnOf(e.field) : e.field, message };
  });
}

function refusal(problems: SheetProblem[]): UnprocessableError {
  return new UnprocessableError(
    'instrument.import_invalid',
    `${new Set(problems.map((p) => p.row)).size} row(s) of the file have problems; nothing was imported (a dry run lists them)`,
    { errors: problems.map((p) => ({ field: `rows[${p.row}]${p.column ? `.${p.column}` : ''}`, message: p.message })) },
  );
}
