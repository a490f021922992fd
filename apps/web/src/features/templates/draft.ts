import type { components } from '../../api/schema';

type Template = components['schemas']['TemplateView'];
export type TemplateBody = components['schemas']['CreateTemplateDto'];
export type Term = TemplateBody['components'][number];
export type TermKind = Term['kind'];
export type TemplateService = TemplateBody['services'][number];
export type Distribution = Extract<Term, { kind: 'type_b_limits' }>['distribution'];

export const TERM_KINDS: TermKind[] = [
  'type_a_readings',
  'reference_standard',
  'type_b_resolution',
  'type_b_limits',
  'type_b_expanded',
  'type_b_standard',
  'type_a',
];
/** The numbers each kind of budget row needs (beyond its name), and those it may have. */
export const TERM_FIELDS = {
  type_a_readings: [],
  reference_standard: [],
  type_b_resolution: ['resolution'],
  type_b_limits: ['halfWidth'],
  type_b_expanded: ['expandedUncertainty', 'coverageFactor'],
  type_b_standard: ['standardUncertainty'],
  type_a: ['standardUncertainty', 'degreesOfFreedom'],
} as const satisfies Record<TermKind, readonly string[]>;
export type TermNumber =
  'resolution' | 'halfWidth' | 'expandedUncertainty' | 'coverageFactor' | 'standardUncertainty' | 'degreesOfFreedom';
export const ENV = ['temperature', 'humidity', 'pressure'] as const;
export type EnvQuantity = (typeof ENV)[number];

export interface PointDraft {
  key: number;
  nominal: string;
  readings: string;
  unit: string;
}
export interface TermDraft {
  key: number;
  kind: TermKind;
  name: string;
  distribution: Distribution;
  numbers: Partial<Record<TermNumber, string>>;
  sensitivityCoefficient: string;
  /** The row as the API gave it: what the form does not show (description, unit…) is kept. */
  base: Record<string, unknown>;
}
export interface TemplateDraft {
  name: string;
  active: boolean;
  services: TemplateService[];
  procedureCode: string;
  unit: string;
  coverageProbability: string;
  points: PointDraft[];
  terms: TermDraft[];
  standardIds: string[];
  env: Record<EnvQuantity, { min: string; max: string }>;
  rule: 'simple' | 'guarded';
  guardBandFactor: string;
}

/**
 * How decimals go between the API (a point) and the form (the locale's separator): ui/format's
 * `decimal` and `parseDecimal` on the screen; passed in so this module stays free of the i18n set-up.
 */
export interface Decimals {
  show: (api: string) => string;
  parse: (typed: string) => string;
}

let nextKey = 1;
const shown = (n: Decimals, v: unknown) => (typeof v === 'string' && v !== '' ? n.show(v) : '');

export const newPoint = (): PointDraft => ({ key: nextKey++, nominal: '', readings: '3', unit: '' });
export function newTerm(
  n: Decimals,
  kind: TermKind = 'type_a_readings',
  base: Record<string, unknown> = {},
): TermDraft {
  const numbers: Partial<Record<TermNumber, string>> = {};
  for (const f of TERM_FIELDS[kind]) numbers[f] = shown(n, base[f]);
  return {
    key: nextKey++,
    kind,
    name: typeof base.name === 'string' ? base.name : '',
    distribution: (base.distribution as Distribution | undefined) ?? 'rectangular',
    numbers,
    sensitivityCoefficient: shown(n, base.sensitivityCoefficient),
    base,
  };
}

/** The form of a template being edited, or of a new one for the type (its unit, its only procedure). */
export function toDraft(
  n: Decimals,
  t: Template | undefined,
  type: { unit: string; procedures: { code: string }[] },
): TemplateDraft {
  const env = Object.fromEntries(
    ENV.map((q) => [q, { min: shown(n, t?.environmentLimits[q]?.min), max: shown(n, t?.environmentLimits[q]?.max) }]),
  ) as TemplateDraft['env'];
  return {
    name: t?.name ?? '',
    active: t?.active ?? true,
    services: t?.services ?? [],
    procedureCode: t?.procedure.code ?? (type.procedures.length === 1 ? type.procedures[0]!.code : ''),
    unit: t?.unit ?? type.unit,
    coverageProbability: shown(n, t?.coverageProbability ?? '0.9545'),
    points: t
      ? t.points.map((p) => ({
          key: nextKey++,
          nominal: n.show(p.nominal),
          readings: String(p.readings),
          unit: p.unit ?? '',
        }))
      : [newPoint()],
    terms: t
      ? t.components.map((c) => newTerm(n, c.kind, c as unknown as Record<string, unknown>))
      : [newTerm(n, 'type_a_readings'), newTerm(n, 'reference_standard')],
    standardIds: t?.standardIds ?? [],
    env,
    rule: t?.decisionRule.kind ?? 'simple',
    guardBandFactor: shown(n, t?.decisionRule.guardBandFactor),
  };
}

function termBody(n: Decimals, d: TermDraft): Term {
  // Fields of another kind (after the kind was changed) are left out; the rest of the API's row is kept.
  const keep = Object.fromEntries(
    Object.entries(d.base).filter(([k]) =>
      ['description', 'unit', 'standardId', 'degreesOfFreedom', 'coverageFactor'].includes(k),
    ),
  );
  const numbers = Object.fromEntries(
    Object.entries(d.numbers)
      .filter(([, v]) => v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k, n.parse(v!)]),
  );
  return {
    ...(d.base.kind === d.kind ? keep : {}),
    kind: d.kind,
    name: d.name.trim(),
    ...(d.kind === 'type_b_limits' ? { distribution: d.distribution } : {}),
    ...numbers,
    ...(d.sensitivityCoefficient.trim() ? { sensitivityCoefficient: n.parse(d.sensitivityCoefficient) } : {}),
  } as Term;
}

/** The form as POST /calibration-templates' body (decimals with a point; empty limits left out). */
export function toBody(n: Decimals, d: TemplateDraft, instrumentTypeId: string): TemplateBody {
  const limits: NonNullable<TemplateBody['environmentLimits']> = {};
  for (const q of ENV) {
    const { min, max } = d.env[q];
    if (min.trim() || max.trim())
      limits[q] = { min: min.trim() ? n.parse(min) : null, max: max.trim() ? n.parse(max) : null };
  }
  return {
    instrumentTypeId,
    name: d.name.trim(),
    active: d.active,
    services: d.services,
    procedureCode: d.procedureCode,
    unit: d.unit.trim(),
    coverageProbability: n.parse(d.coverageProbability),
    points: d.points.map((p) => ({
      nominal: n.parse(p.nominal),
      readings: Number(p.readings),
      ...(p.unit.trim() ? { unit: p.unit.trim() } : {}),
    })),
    components: d.terms.map((x) => termBody(n, x)),
    standardIds: d.standardIds,
    environmentLimits: limits,
    decisionRule:
      d.rule === 'guarded'
        ? { kind: 'guarded', guardBandFactor: d.guardBandFactor.trim() ? n.parse(d.guardBandFactor) : null }
        : { kind: 'simple' },
  };
}
