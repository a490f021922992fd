import type { EntityManager } from 'typeorm';
import { canonicalJson } from './catalogue-seed.js';
import type { ServiceKind } from './instrument-type.entity.js';
import { InstrumentType } from './instrument-type.entity.js';
import { checkMpeRule, type MpeRule } from './mpe.js';
import { InstrumentTypeMpeRule, MPE_SERVICES, type MpeConfidence } from './mpe-rule.entity.js';

/**
 * MPE rules shipped with the catalogue: libs/registry/data/mpe-rules.json (verbatim from the shared
 * reference data: sources, quotes, confidence) read through mpe-rules.overlay.json (the same rules in
 * the product's rule language, by verification kind). A row never claims more confidence than the
 * reference data gives it.
 */
export interface SeedMpeRow {
  seedKey: string;
  services: ServiceKind[];
  rule: MpeRule;
  multiplier: string;
  sourceDocument: string;
  sourceClause: string | null;
  sourceNote: string | null;
  confidence: Exclude<MpeConfidence, 'CENTRE'>;
}

/** Rows for a type, or why the seed has none (nothing usable was read). */
export type SeedMpe = { rows: SeedMpeRow[] } | { none: string };

interface ReferenceEntry {
  typeCode: string;
  confidence: string;
  source: string[] | null;
  quote?: string;
  why?: string;
}

interface OverlayRow {
  key: string;
  services: ServiceKind[];
  multiplier?: number;
  confidence?: string;
  rule?: MpeRule;
  note?: string;
}

interface OverlayType {
  none?: string;
  rule?: MpeRule;
  clause?: string;
  rows?: OverlayRow[];
}

const TRUST: Record<string, number> = { UNCERTAIN: 0, SECONDARY: 1, VERIFIED: 2 };

function confidenceOf(value: string | undefined, where: string): SeedMpeRow['confidence'] {
  if (value === 'VERIFIED' || value === 'SECONDARY' || value === 'UNCERTAIN') return value;
  throw new Error(`${where}: confidence ${JSON.stringify(value)} is not VERIFIED, SECONDARY or UNCERTAIN`);
}

/** Builds the MPE seed per type code (the CSV's name_vi); throws naming the entry when the two files disagree. */
export function readMpeSeed(referenceJson: string, overlayJson: string): Map<string, SeedMpe> {
  const reference = JSON.parse(referenceJson) as ReferenceEntry[];
  const overlay = (JSON.parse(overlayJson) as { types: Record<string, OverlayType> }).types;
  const out = new Map<string, SeedMpe>();
  for (const entry of reference) {
    const where = `mpe-rules.overlay.json "${entry.typeCode}"`;
    const o = overlay[entry.typeCode];
    if (!o) throw new Error(`${where}: missing (every entry of mpe-rules.json needs one)`);
    const fileConfidence = confidenceOf(entry.confidence, `mpe-rules.json "${entry.typeCode}"`);
    if (o.none !== undefined) {
      out.set(entry.typeCode, { none: o.none });
      continue;
    }
    if (!o.rows?.length) throw new Error(`${where}: give rows or none`);
    const rows = o.rows.map((r): SeedMpeRow => {
      const at = `${where} row ${r.key}`;
      const rule = r.rule ?? o.rule;
      const problems = checkMpeRule(rule, 'rule');
      if (problems.length) throw new Error(`${at}: ${problems.map((p) => p.message).join('; ')}`);
      const confidence = r.confidence ? confidenceOf(r.confidence, at) : fileConfidence;
      if (TRUST[confidence]! > TRUST[fileConfidence]!)
        throw new Error(`${at}: ${confidence} claims more than the reference data's ${fileConfidence}`);
      if (!r.services.length || r.services.some((s) => !MPE_SERVICES.includes(s)))
        throw new Error(`${at}: services must be verification kinds or calibration`);
      return {
        seedKey: `seed:${r.key}`,
        services: r.services,
        rule: rule!,
        multiplier: String(r.multiplier ?? 1),
        sourceDocument: (entry.source ?? []).join('; ') || 'mpe-rules.json (no source read)',
        sourceClause: o.clause ?? null,
        sourceNote: [r.note, entry.quote && `Quote: ${entry.quote}`, entry.why && `Open: ${entry.why}`]
          .filter(Boolean)
          .join('\n'),
        confidence,
      };
    });
    out.set(entry.typeCode, { rows });
  }
  const extra = Object.keys(overlay).filter((k) => !out.has(k));
  if (extra.length)
    throw new Error(`mpe-rules.overlay.json names types mpe-rules.json does not have: ${extra.join(', ')}`);
  return out;
}

export interface MpeSeedReport {
  mpeRulesInserted: number;
  mpeRulesUpdated: number;
  /** Seeded rows an admin confirmed since: the seed leaves them as they are. */
  mpeRulesKeptConfirmed: number;
}

/**
 * Idempotent upsert by (type, seed key). A row an admin has confirmed is never changed; an unconfirmed
 * one follows the shipped data. Services the type does not offer are left out.
 */
export async function seedMpeRules(
  manager: EntityManager,
  type: InstrumentType,
  seed: SeedMpe | undefined,
): Promise<MpeSeedReport> {
  const report: MpeSeedReport = { mpeRulesInserted: 0, mpeRulesUpdated: 0, mpeRulesKeptConfirmed: 0 };
  if (!seed || 'none' in seed) return report;
  const repo = manager.getRepository(InstrumentTypeMpeRule);
  const existing = new Map(
    (await repo.findBy({ instrumentTypeId: type.id })).filter((r) => r.seedKey).map((r) => [r.seedKey!, r]),
  );
  for (const row of seed.rows) {
    const services = row.services.filter((s) => type.services.includes(s));
    if (!services.length) continue;
    const wanted = { ...row, services };
    const found = existing.get(row.seedKey);
    if (!found) {
      await repo.insert({
        ...wanted,
        instrumentTypeId: type.id,
        confirmedAt: null,
        confirmedBy: null,
        confirmedAgainst: null,
      });
      report.mpeRulesInserted++;
    } else if (found.confirmedAt) {
      report.mpeRulesKeptConfirmed++;
    } else if (canonicalJson(comparable(found)) !== canonicalJson(comparable(wanted))) {
      await repo.update({ id: found.id }, wanted);
      report.mpeRulesUpdated++;
    }
  }
  return report;
}

/** The seeded fields, the multiplier as a number (numeric comes back from PostgreSQL as "1" or "1.0"). */
function comparable(r: Omit<SeedMpeRow, 'seedKey' | 'confidence'> & { confidence: MpeConfidence }) {
  return {
    services: r.services,
    rule: r.rule,
    multiplier: Number(r.multiplier),
    sourceDocument: r.sourceDocument,
    sourceClause: r.sourceClause,
    sourceNote: r.sourceNote,
    confidence: r.confidence,
  };
}
