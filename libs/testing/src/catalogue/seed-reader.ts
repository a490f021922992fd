import { isCalendarDate, isPhysicalUnit } from '#libs/core';
import type { LimitConfidence, LimitKind, RegulationKind, ResultType, Season } from './catalogue.entity.js';
import { LIMIT_KINDS, REGULATION_KINDS, RESULT_TYPES } from './catalogue.entity.js';

/**
 * The testing catalogue shipped with the product: libs/testing/data/test-products.json (verbatim
 * from the shared reference data: figures, sources, confidence) read through
 * test-products.overlay.json (regulation editions, product codes, parameter codes, result types and
 * the structure the file states only in words). libs/testing/data/README.md explains every rule.
 * A limit never claims more confidence than the file gives its row.
 */
export type SeedConfidence = Exclude<LimitConfidence, 'CENTRE'>;

export interface SeedRegulation {
  code: string;
  title: string;
  kind: RegulationKind;
  issuedBy: string | null;
  issuedOn: string | null;
  inForceFrom: string | null;
  inForceTo: string | null;
  sourceNote: string | null;
}

export interface SeedLimit {
  seedKey: string;
  regulationCode: string;
  level: string | null;
  grade: string | null;
  season: Season | null;
  seasonFrom: string | null;
  seasonTo: string | null;
  kind: LimitKind;
  min: string | null;
  max: string | null;
  allowedValues: string[] | null;
  limitText: string | null;
  sourceDocument: string;
  sourceNote: string | null;
  confidence: SeedConfidence;
}

export interface SeedMethod {
  code: string;
  equivalent: string | null;
  note: string | null;
  position: number;
}

export interface SeedParameter {
  code: string;
  nameVi: string;
  nameEn: string;
  unit: string;
  resultType: ResultType;
  allowedValues: string[] | null;
  position: number;
  note: string | null;
  methods: SeedMethod[];
  limits: SeedLimit[];
}

export interface SeedProduct {
  code: string;
  nameVi: string;
  nameEn: string;
  levels: string[];
  grades: string[];
  note: string | null;
  regulations: { code: string; clause: string | null }[];
  parameters: SeedParameter[];
}

export interface TestingSeed {
  regulations: SeedRegulation[];
  products: SeedProduct[];
}

interface FileLimit {
  min?: number;
  max?: number;
  kind?: string;
  text?: string;
  by_level?: Record<string, number>;
  by_season?: Record<string, number>;
  by_type?: Record<string, number>;
  grades_by_level?: Record<string, number[]>;
}

interface FileParameter {
  name_vi: string;
  name_en: string;
  unit: string;
  limit: FileLimit;
  method: string;
  confidence: string;
  source: string;
  note?: string;
}

interface FileEntry {
  product: string;
  regulation: string;
  note?: string;
  parameters: FileParameter[];
}

interface OverlayLimit {
  level?: string;
  grade?: string;
  kind: LimitKind;
  min?: number;
  max?: number;
  allowedValues?: string[];
  text?: string;
  confidence?: string;
}

interface OverlayParameter {
  code?: string;
  skip?: string;
  nameVi?: string;
  nameEn?: string;
  unit?: string;
  resultType?: ResultType;
  allowedValues?: string[];
  regulation?: string;
  grade?: string;
  levels?: string[];
  grades?: string[];
  seasons?: Partial<Record<Season, { from: string; to: string }>>;
  confidence?: string;
  limits?: OverlayLimit[];
  extraLimits?: OverlayLimit[];
  note?: string;
}

interface OverlayEntry {
  product: string;
  regulation: string;
  clause: string | null;
  parameters: Record<string, OverlayParameter>;
}

interface OverlayRegulation extends Omit<SeedRegulation, 'code' | 'sourceNote'> {
  note?: string;
}

interface Overlay {
  unitLabels: Record<string, string>;
  regulations: Record<string, OverlayRegulation>;
  products: Record<string, Omit<SeedProduct, 'code' | 'regulations' | 'parameters'>>;
  entries: Record<string, OverlayEntry>;
}

const TRUST: Record<SeedConfidence, number> = { UNCERTAIN: 0, SECONDARY: 1, VERIFIED: 2 };

export function confidenceOf(value: string | undefined, where: string): SeedConfidence {
  if (value === 'VERIFIED' || value === 'SECONDARY' || value === 'UNCERTAIN') return value;
  throw new Error(`${where}: confidence ${JSON.stringify(value)} is not VERIFIED, SECONDARY or UNCERTAIN`);
}

/** The lower of the file's confidence and the overlay's; throws when the overlay claims more. */
export function capConfidence(file: SeedConfidence, overlay: string | undefined, where: string): SeedConfidence {
  if (overlay === undefined) return file;
  const c = confidenceOf(overlay, where);
  if (TRUST[c] > TRUST[file]) throw new Error(`${where}: ${c} claims more than the reference data's ${file}`);
  return c;
}

const METHOD = /^([^([]+)(?:\(([^)]*)\))?(.*)$/u;

/** "TCVN 6701 (ASTM D 2622); TCVN 7760 (ASTM D 5453)" → methods; "-" → none. */
export function parseMethods(cell: string): SeedMethod[] {
  const out: SeedMethod[] = [];
  for (const part of cell.normalize('NFC').split(';')) {
    const s = part.trim();
    if (!s || s === '-') continue;
    const m = METHOD.exec(s)!;
    const inner = m[2]?.trim() ?? '';
    const international = /^(ASTM|ISO|EN)\b/.test(inner);
    const note = [international ? '' : inner, m[3]?.trim() ?? ''].filter(Boolean).join(' ') || null;
    out.push({ code: m[1]!.trim(), equivalent: international ? inner : null, note, position: out.length + 1 });
  }
  return out;
}

const num = (n: number | undefined): string | null => (n === undefined ? null : String(n));

type LimitShape = Pick<SeedLimit, 'level' | 'grade' | 'season' | 'kind' | 'min' | 'max' | 'allowedValues'>;

function shape(kind: LimitKind, value: number, at: Partial<LimitShape> = {}): LimitShape {
  return {
    level: null,
    grade: null,
    season: null,
    allowedValues: null,
    ...at,
    kind,
    min: kind === 'min' ? String(value) : null,
    max: kind === 'max' ? String(value) : null,
  };
}

function kindOf(limit: FileLimit, where: string): 'min' | 'max' {
  if (limit.kind === 'min' || limit.kind === 'max') return limit.kind;
  throw new Error(`${where}: a limit by level, season or type needs kind min or max`);
}

/** The file's structured limit as rows (by level, grade, season or type); a limit in words only is kind none. */
export function fileLimitShapes(limit: FileLimit, o: OverlayParameter, where: string): LimitShape[] {
  if (limit.grades_by_level) {
    const kind = kindOf(limit, where);
    return Object.entries(limit.grades_by_level).flatMap(([level, grades]) =>
      grades.map((g) => shape(kind, g, { level, grade: String(g) })),
    );
  }
  if (limit.by_level)
    return Object.entries(limit.by_level).map(([level, v]) => shape(kindOf(limit, where), v, { level }));
  if (limit.by_type)
    return Object.entries(limit.by_type).map(([grade, v]) => shape(kindOf(limit, where), v, { grade }));
  if (limit.by_season) {
    return Object.entries(limit.by_season).map(([season, v]) => {
      if (season !== 'summer' && season !== 'winter') throw new Error(`${where}: unknown season ${season}`);
      return shape(kindOf(limit, where), v, { season });
    });
  }
  const plain: LimitShape = {
    level: null,
    grade: o.grade ?? null,
    season: null,
    allowedValues: null,
    kind: limit.min !== undefined && limit.max !== undefined ? 'range' : limit.min !== undefined ? 'min' : 'max',
    min: num(limit.min),
    max: num(limit.max),
  };
  if (limit.min === undefined && limit.max === undefined) return [{ ...plain, kind: 'none' }];
  if (o.levels) return o.levels.map((level) => ({ ...plain, level }));
  if (o.grades) return o.grades.map((grade) => ({ ...plain, grade }));
  return [plain];
}

function overlayShape(l: OverlayLimit, o: OverlayParameter, where: string): LimitShape {
  if (!(LIMIT_KINDS as readonly string[]).includes(l.kind)) throw new Error(`${where}: unknown kind ${l.kind}`);
  return {
    level: l.level ?? null,
    grade: l.grade ?? o.grade ?? null,
    season: null,
    kind: l.kind,
    min: num(l.min),
    max: num(l.max),
    allowedValues: l.allowedValues ?? null,
  };
}

interface LimitContext {
  file: FileParameter;
  o: OverlayParameter;
  regulationCode: string;
  where: string;
}

function seedLimits({ file, o, regulationCode, where }: LimitContext): SeedLimit[] {
  const fileConfidence = confidenceOf(file.confidence, where);
  const base = capConfidence(fileConfidence, o.confidence, `${where} (overlay)`);
  const rows: { s: LimitShape; text: string | null; confidence: SeedConfidence }[] = [];
  const fromFile = o.limits
    ? o.limits.map((l) => ({ s: overlayShape(l, o, where), text: l.text ?? null, c: l.confidence }))
    : fileLimitShapes(file.limit, o, where).map((s) => ({ s, text: file.limit.text ?? null, c: undefined }));
  const extra = (o.extraLimits ?? []).map((l) => ({
    s: overlayShape(l, o, where),
    text: l.text ?? null,
    c: l.confidence,
  }));
  for (const r of [...fromFile, ...extra])
    rows.push({ s: r.s, text: r.text, confidence: capConfidence(base, r.c, `${where} limit`) });
  return rows.map(({ s, text, confidence }) => {
    const dates = s.season ? o.seasons?.[s.season] : undefined;
    if (s.season && !dates) throw new Error(`${where}: the overlay gives no dates for the ${s.season} season`);
    const seedKey = [regulationCode, s.level ?? '*', s.grade ?? '*', s.season ?? '*'].join('|');
    return {
      ...s,
      seedKey,
      regulationCode,
      seasonFrom: dates?.from ?? null,
      seasonTo: dates?.to ?? null,
      limitText: text,
      sourceDocument: file.source,
      sourceNote: [file.note, o.note].filter(Boolean).join('\n') || null,
      confidence,
    };
  });
}

function checkUnit(unit: string, labels: Record<string, string>, where: string): void {
  if (unit === '-' || labels[unit] !== undefined || isPhysicalUnit(unit)) return;
  throw new Error(`${where}: unit "${unit}" is neither "-", a unit mathjs knows, nor in the overlay's unitLabels`);
}

function checkParameter(p: SeedParameter, where: string): void {
  if (!(RESULT_TYPES as readonly string[]).includes(p.resultType))
    throw new Error(`${where}: result type ${p.resultType}`);
  if ((p.resultType === 'categorical') !== (p.allowedValues !== null))
    throw new Error(`${where}: categorical parameters (and only they) list allowedValues`);
  const keys = new Set<string>();
  for (const l of p.limits) {
    if (keys.has(l.seedKey)) throw new Error(`${where}: two limits for ${l.seedKey}`);
    keys.add(l.seedKey);
    if (l.kind === 'categorical_set' && !l.allowedValues?.every((v) => p.allowedValues?.includes(v)))
      throw new Error(`${where}: a categorical limit names values off the parameter's scale`);
  }
}

function readRegulations(overlay: Overlay): SeedRegulation[] {
  return Object.entries(overlay.regulations).map(([code, r]) => {
    const where = `test-products.overlay.json regulation "${code}"`;
    if (!(REGULATION_KINDS as readonly string[]).includes(r.kind)) throw new Error(`${where}: unknown kind ${r.kind}`);
    for (const d of [r.issuedOn, r.inForceFrom, r.inForceTo])
      if (d !== null && !isCalendarDate(d)) throw new Error(`${where}: ${d} is not YYYY-MM-DD`);
    return {
      code,
      title: r.title,
      kind: r.kind,
      issuedBy: r.issuedBy,
      issuedOn: r.issuedOn,
      inForceFrom: r.inForceFrom,
      inForceTo: r.inForceTo,
      sourceNote: r.note ?? null,
    };
  });
}

function productOf(products: Map<string, SeedProduct>, overlay: Overlay, code: string, where: string): SeedProduct {
  let p = products.get(code);
  if (p) return p;
  const o = overlay.products[code];
  if (!o) throw new Error(`${where}: product ${code} is not in the overlay's products`);
  p = { code, ...o, regulations: [], parameters: [] };
  products.set(code, p);
  return p;
}

function addRegulation(p: SeedProduct, code: string, clause: string | null, overlay: Overlay, where: string): void {
  if (!overlay.regulations[code]) throw new Error(`${where}: regulation ${code} is not in the overlay's regulations`);
  if (!p.regulations.some((r) => r.code === code)) p.regulations.push({ code, clause });
}

/** One file parameter into its product: a new parameter, or more limits (and methods) for one seen already. */
function addParameter(
  p: SeedProduct,
  file: FileParameter,
  o: OverlayParameter,
  entry: OverlayEntry,
  overlay: Overlay,
  where: string,
): void {
  const code = o.code!;
  const regulationCode = o.regulation ?? entry.regulation;
  addRegulation(p, regulationCode, o.regulation ? null : entry.clause, overlay, where);
  const unit = o.unit ?? file.unit;
  checkUnit(unit, overlay.unitLabels, where);
  const limits = seedLimits({ file, o, regulationCode, where });
  const methods = parseMethods(file.method);
  const seen = p.parameters.find((x) => x.code === code);
  if (seen) {
    if (seen.unit !== unit) throw new Error(`${where}: parameter ${code} has unit ${seen.unit} elsewhere, not ${unit}`);
    seen.limits.push(...limits);
    for (const m of methods)
      if (!seen.methods.some((x) => x.code === m.code)) seen.methods.push({ ...m, position: seen.methods.length + 1 });
    checkParameter(seen, where);
    return;
  }
  const parameter: SeedParameter = {
    code,
    nameVi: o.nameVi ?? file.name_vi,
    nameEn: o.nameEn ?? file.name_en,
    unit,
    resultType: o.resultType ?? 'numeric',
    allowedValues: o.allowedValues ?? null,
    position: p.parameters.length + 1,
    note: file.note ?? null,
    methods,
    limits,
  };
  checkParameter(parameter, where);
  p.parameters.push(parameter);
}

/** Builds the seed from the reference file and the overlay; throws naming the entry when the two disagree. */
export function readTestingSeed(referenceJson: string, overlayJson: string): TestingSeed {
  const reference = JSON.parse(referenceJson) as FileEntry[];
  const overlay = JSON.parse(overlayJson) as Overlay;
  const products = new Map<string, SeedProduct>();
  const usedEntries = new Set<string>();
  for (const entry of reference) {
    const o = overlay.entries[entry.product];
    const where = `test-products.json "${entry.product}"`;
    if (!o) throw new Error(`${where}: no entry in test-products.overlay.json`);
    usedEntries.add(entry.product);
    const product = productOf(products, overlay, o.product, where);
    addRegulation(product, o.regulation, o.clause, overlay, where);
    const named = new Set<string>();
    for (const file of entry.parameters) {
      const at = `${where} parameter "${file.name_vi}"`;
      const op = o.parameters[file.name_vi];
      if (!op) throw new Error(`${at}: no entry in the overlay (give a code, or skip with a reason)`);
      named.add(file.name_vi);
      if (op.skip !== undefined) continue;
      if (!op.code || !/^[a-z][a-z0-9_]{1,39}$/.test(op.code)) throw new Error(`${at}: code must be snake_case`);
      addParameter(product, file, op, o, overlay, at);
    }
    const extra = Object.keys(o.parameters).filter((k) => !named.has(k));
    if (extra.length)
      throw new Error(`${where}: the overlay names parameters the file does not have: ${extra.join(', ')}`);
  }
  const extra = Object.keys(overlay.entries).filter((k) => !usedEntries.has(k));
  if (extra.length)
    throw new Error(`test-products.overlay.json names entries the file does not have: ${extra.join(', ')}`);
  return { regulations: readRegulations(overlay), products: [...products.values()] };
}
