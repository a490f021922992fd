import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource, EntityManager } from 'typeorm';
import { isCalendarDate } from '#libs/core';
import { parseCsvRecords } from '../common/csv.js';
import {
  INSTRUMENT_SERVICES,
  InstrumentType,
  InstrumentTypeCycle,
  type DataQuality,
  type ServiceKind,
  type ProcedureRef,
} from './instrument-type.entity.js';
import { readMpeSeed, seedMpeRules, type MpeSeedReport, type SeedMpe } from './mpe-seed.js';

/**
 * The instrument-type catalogue shipped with the product: libs/registry/data/instrument-types.csv
 * (verbatim from the shared reference data) plus instrument-types.overlay.json (our decisions: codes,
 * units, cycle history). libs/registry/data/README.md explains every rule applied here.
 */
export interface SeedCycle {
  cycleMonths: number | null;
  effectiveFrom: string;
  legalBasis: string;
  dataQuality: DataQuality;
}

export interface SeedType {
  code: string;
  nameVi: string;
  nameEn: string;
  measuredQuantity: string;
  unit: string;
  services: ServiceKind[];
  typeApprovalRequired: boolean;
  procedures: ProcedureRef[];
  active: boolean;
  dataQuality: DataQuality;
  sourceNote: string | null;
  cycles: SeedCycle[];
  /** MPE rules by verification kind, or why there are none. */
  mpe?: SeedMpe;
}

export interface SeedReport extends MpeSeedReport {
  typesInserted: number;
  typesUpdated: number;
  typesUnchanged: number;
  /** Rows the staff corrected: the seed leaves them as they are. */
  typesKeptStaffEdits: string[];
  cyclesInserted: number;
}

interface OverlayEntry {
  code: string;
  unit: string;
  active?: boolean;
  services?: ServiceKind[];
  cycles: { months: number | null; from: string; quality: DataQuality; basis: string }[];
}

const VERIFICATION_KINDS: Record<string, ServiceKind> = {
  'ban đầu': 'verification_initial',
  'định kỳ': 'verification_periodic',
  'sau sửa chữa': 'verification_after_repair',
  // "bất thường" (extraordinary verification) shares the CSV's cell with after-repair verification.
  'bất thường': 'verification_after_repair',
};

/** "PDM; ban đầu; định kỳ; bất thường/sau sửa chữa" → services, and whether type approval (PDM) is required. */
export function parseVerificationTypes(cell: string): {
  services: ServiceKind[] | null;
  typeApprovalRequired: boolean;
} {
  const tokens = cell
    .normalize('NFC')
    .replace(/\([^)]*\)/g, '')
    .split(/[;/]/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  let typeApprovalRequired = false;
  const services = new Set<ServiceKind>();
  for (const t of tokens) {
    if (t === 'pdm') typeApprovalRequired = true;
    else if (VERIFICATION_KINDS[t]) services.add(VERIFICATION_KINDS[t]);
    else return { services: null, typeApprovalRequired };
  }
  return { services: INSTRUMENT_SERVICES.filter((s) => services.has(s)), typeApprovalRequired };
}

/** "ĐLVN 01:2019 (UNCERTAIN); ĐLVN 118:2020 is the type-testing procedure" → [{code, version, note}, …]. */
export function parseProcedures(cell: string): ProcedureRef[] {
  const out: ProcedureRef[] = [];
  for (const segment of cell.normalize('NFC').split(/;|\s\/\s/)) {
    const s = segment.trim();
    if (!s) continue;
    const m = /^ĐLVN\s*(\d+)\s*(?::\s*(\d{4}))?\s*(.*)$/u.exec(s);
    if (!m) throw new Error(`procedure "${s}" is not of the form "ĐLVN n[:yyyy] [note]"`);
    const note = (m[3] ?? '').replace(/^\((.*)\)$/, '$1').trim();
    out.push({ code: `ĐLVN ${m[1]}`, ...(m[2] ? { version: m[2] } : {}), ...(note ? { note } : {}) });
  }
  return out;
}

/** Builds the seed from the CSV text and the overlay; throws naming the row when the two disagree. */
export function readCatalogueSeed(csvText: string, overlayJson: string): SeedType[] {
  const overlay = (JSON.parse(overlayJson) as { types: Record<string, OverlayEntry> }).types;
  const rows = parseCsvRecords(csvText);
  const seen = new Set<string>();
  const codes = new Set<string>();
  const types = rows.map((r, i): SeedType => {
    const where = `instrument-types.csv record ${i + 2} (${r.name_en})`;
    const nameEn = (r.name_en ?? '').trim();
    const o = overlay[nameEn];
    if (!o) throw new Error(`${where}: no entry in instrument-types.overlay.json`);
    if (codes.has(o.code)) throw new Error(`${where}: code ${o.code} is used twice`);
    seen.add(nameEn);
    codes.add(o.code);
    const parsed = parseVerificationTypes(r.verification_types ?? '');
    const services = o.services ?? parsed.services;
    if (!services)
      throw new Error(
        `${where}: cannot read verification_types "${r.verification_types}"; give services in the overlay`,
      );
    const cycles = o.cycles.map((c) => {
      if (!isCalendarDate(c.from)) throw new Error(`${where}: cycle date ${c.from} is not YYYY-MM-DD`);
      return { cycleMonths: c.months, effectiveFrom: c.from, legalBasis: c.basis, dataQuality: c.quality };
    });
    const latest = [...cycles].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)).at(-1);
    const csvCycle = (r.cycle_months ?? '').trim() === '' ? null : Number(r.cycle_months);
    if ((latest?.cycleMonths ?? null) !== csvCycle) {
      throw new Error(
        `${where}: the overlay's latest cycle (${latest?.cycleMonths ?? 'none'}) is not the CSV's (${csvCycle ?? 'none'})`,
      );
    }
    const procedureCell = r.procedure_code ?? '';
    const source = (r.source ?? '').trim();
    return {
      code: o.code,
      nameVi: (r.name_vi ?? '').trim(),
      nameEn,
      measuredQuantity: (r.measured_quantity ?? '').trim(),
      unit: o.unit,
      services,
      typeApprovalRequired: parsed.typeApprovalRequired,
      procedures: parseProcedures(procedureCell),
      active: o.active ?? true,
      dataQuality: /UNCERTAIN/i.test(source) || /UNCERTAIN/i.test(procedureCell) ? 'uncertain' : 'confirmed',
      sourceNote: source,
      cycles,
    };
  });
  const extra = Object.keys(overlay).filter((k) => !seen.has(k));
  if (extra.length)
    throw new Error(`instrument-types.overlay.json names types the CSV does not have: ${extra.join(', ')}`);
  return types;
}

/** libs/registry/data, found from here both in the sources (jest) and in dist/ (node). */
export function catalogueDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'libs', 'registry', 'data');
    if (existsSync(join(candidate, 'instrument-types.csv'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('libs/registry/data/instrument-types.csv was not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function loadShippedCatalogue(): SeedType[] {
  const dir = catalogueDataDir();
  const types = readCatalogueSeed(
    readFileSync(join(dir, 'instrument-types.csv'), 'utf8'),
    readFileSync(join(dir, 'instrument-types.overlay.json'), 'utf8'),
  );
  const mpe = readMpeSeed(
    readFileSync(join(dir, 'mpe-rules.json'), 'utf8'),
    readFileSync(join(dir, 'mpe-rules.overlay.json'), 'utf8'),
  );
  const missing = types.filter((t) => !mpe.has(t.nameVi)).map((t) => t.nameVi);
  if (missing.length) throw new Error(`mpe-rules.json has no entry for: ${missing.join(', ')}`);
  return types.map((t) => ({ ...t, mpe: mpe.get(t.nameVi) }));
}

type SeededFields = Omit<SeedType, 'cycles' | 'mpe'>;
const fieldsOf = (t: SeededFields): SeededFields => ({
  code: t.code,
  nameVi: t.nameVi,
  nameEn: t.nameEn,
  measuredQuantity: t.measuredQuantity,
  unit: t.unit,
  services: t.services,
  typeApprovalRequired: t.typeApprovalRequired,
  procedures: t.procedures,
  active: t.active,
  dataQuality: t.dataQuality,
  sourceNote: t.sourceNote,
});

/** JSON with sorted keys: jsonb does not keep the key order it was given. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Idempotent upsert of the catalogue, by type code and by (type, effective date) for cycles. A type
 * the staff have corrected (staff_edited_at set) is not overwritten; a missing cycle row is added,
 * an existing one never changed (history is not edited in place).
 */
export async function seedCatalogue(manager: EntityManager, seed: SeedType[]): Promise<SeedReport> {
  const report = emptyReport();
  const types = manager.getRepository(InstrumentType);
  const cycles = manager.getRepository(InstrumentTypeCycle);
  for (const s of seed) {
    let row = await types.findOneBy({ code: s.code });
    const wanted = fieldsOf(s);
    if (!row) {
      row = await types.save(types.create({ ...wanted, staffEditedAt: null }));
      report.typesInserted++;
    } else if (row.staffEditedAt) {
      report.typesKeptStaffEdits.push(s.code);
    } else if (canonicalJson(fieldsOf(row)) !== canonicalJson(wanted)) {
      Object.assign(row, wanted);
      await types.save(row);
      report.typesUpdated++;
    } else {
      report.typesUnchanged++;
    }
    const existing = new Set((await cycles.findBy({ instrumentTypeId: row.id })).map((c) => c.effectiveFrom));
    for (const c of s.cycles) {
      if (existing.has(c.effectiveFrom)) continue;
      await cycles.save(
        cycles.create({ ...c, instrumentTypeId: row.id, note: 'seeded from instrument-types.csv', createdBy: null }),
      );
      report.cyclesInserted++;
    }
    addMpeReport(report, await seedMpeRules(manager, row, s.mpe));
  }
  return report;
}

function emptyReport(): SeedReport {
  return {
    typesInserted: 0,
    typesUpdated: 0,
    typesUnchanged: 0,
    typesKeptStaffEdits: [],
    cyclesInserted: 0,
    mpeRulesInserted: 0,
    mpeRulesUpdated: 0,
    mpeRulesKeptConfirmed: 0,
  };
}

function addMpeReport(report: SeedReport, mpe: MpeSeedReport): void {
  report.mpeRulesInserted += mpe.mpeRulesInserted;
  report.mpeRulesUpdated += mpe.mpeRulesUpdated;
  report.mpeRulesKeptConfirmed += mpe.mpeRulesKeptConfirmed;
}

/**
 * An installation seeded before MPE rules were shipped gets them once: the types already there
 * (matched by code) receive their seeded rules, and nothing else is touched.
 */
async function seedMissingMpeRules(manager: EntityManager, seed: SeedType[]): Promise<SeedReport | null> {
  const seeded: unknown[] = await manager.query(
    'SELECT 1 FROM instrument_type_mpe_rule WHERE seed_key IS NOT NULL LIMIT 1',
  );
  if (seeded.length > 0) return null;
  const report = emptyReport();
  const types = manager.getRepository(InstrumentType);
  for (const s of seed) {
    const row = await types.findOneBy({ code: s.code });
    if (row) addMpeReport(report, await seedMpeRules(manager, row, s.mpe));
  }
  return report;
}

/** Arbitrary but fixed: two processes starting at once must not seed twice. */
const SEED_LOCK_KEY = 720_417_002;

/**
 * Runs the seed in one transaction under an advisory lock. With onlyIfEmpty (every start): seeds a
 * new installation; on one that has types, only adds the shipped MPE rules if none were ever seeded
 * (an upgrade), and returns null when there is nothing to do.
 */
export async function runCatalogueSeed(
  dataSource: DataSource,
  options: { onlyIfEmpty: boolean; seed?: SeedType[] },
): Promise<SeedReport | null> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    if (options.onlyIfEmpty) {
      const rows: unknown[] = await manager.query('SELECT 1 FROM instrument_type LIMIT 1');
      if (rows.length > 0) return seedMissingMpeRules(manager, options.seed ?? loadShippedCatalogue());
    }
    return seedCatalogue(manager, options.seed ?? loadShippedCatalogue());
  });
}
