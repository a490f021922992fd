import type { components } from '../../api/schema';

type InstrumentType = components['schemas']['InstrumentTypeView'];
type Create = components['schemas']['CreateInstrumentTypeDto'];
type Update = components['schemas']['UpdateInstrumentTypeDto'];
export type Service = InstrumentType['services'][number];
export type Quality = InstrumentType['dataQuality'];

export const SERVICES: Service[] = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
  'calibration',
  'testing',
];

export const TEXTS = [
  'code',
  'nameVi',
  'nameEn',
  'measuredQuantity',
  'unit',
  'capabilityDivisor',
  'sourceNote',
] as const;
export const FLAGS = ['typeApprovalRequired', 'capabilityEnforced', 'active'] as const;

/** What the type form holds; the MPE rule as JSON text, procedures one per line ("ĐLVN 10:2017"). */
export interface TypeForm extends Record<(typeof TEXTS)[number], string>, Record<(typeof FLAGS)[number], boolean> {
  services: Service[];
  dataQuality: Quality;
  procedures: string;
  mpeRule: string;
}

export function formOf(ty?: InstrumentType): TypeForm {
  return {
    code: ty?.code ?? '',
    nameVi: ty?.nameVi ?? '',
    nameEn: ty?.nameEn ?? '',
    measuredQuantity: ty?.measuredQuantity ?? '',
    unit: ty?.unit ?? '',
    capabilityDivisor: ty?.capabilityDivisor ?? '3',
    sourceNote: ty?.sourceNote ?? '',
    typeApprovalRequired: ty?.typeApprovalRequired ?? false,
    capabilityEnforced: ty?.capabilityEnforced ?? false,
    active: ty?.active ?? true,
    services: ty?.services ?? [],
    dataQuality: ty?.dataQuality ?? 'confirmed',
    procedures: (ty?.procedures ?? []).map((p) => [p.code, p.version].filter(Boolean).join(':')).join('\n'),
    mpeRule: ty?.mpeRule ? JSON.stringify(ty.mpeRule, null, 2) : '',
  };
}

/** "ĐLVN 10:2017" per line as the API's procedure references (code, edition). */
export function proceduresOf(text: string): { code: string; version?: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.lastIndexOf(':');
      const [code, version] = at > 0 ? [l.slice(0, at).trim(), l.slice(at + 1).trim()] : [l, ''];
      return version ? { code, version } : { code };
    });
}

/** The MPE rule typed as JSON: null when empty, else the object, or what is wrong with the text. */
export function ruleOf(text: string): { rule: Record<string, unknown> | null } | { invalid: string } {
  if (text.trim() === '') return { rule: null };
  try {
    const rule: unknown = JSON.parse(text);
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return { invalid: 'not-object' };
    return { rule: rule as Record<string, unknown> };
  } catch (e) {
    return { invalid: e instanceof Error ? e.message : String(e) };
  }
}

function fields(form: TypeForm, rule: Record<string, unknown> | null): Update {
  return {
    code: form.code.trim(),
    nameVi: form.nameVi.trim(),
    nameEn: form.nameEn.trim(),
    measuredQuantity: form.measuredQuantity.trim(),
    unit: form.unit.trim(),
    capabilityDivisor: form.capabilityDivisor.trim().replace(',', '.'),
    sourceNote: form.sourceNote.trim() || null,
    typeApprovalRequired: form.typeApprovalRequired,
    capabilityEnforced: form.capabilityEnforced,
    active: form.active,
    services: form.services,
    dataQuality: form.dataQuality,
    procedures: proceduresOf(form.procedures),
    mpeRule: rule,
  };
}

/** POST /instrument-types: the whole type, with its first cycle when one is given. */
export function createBody(form: TypeForm, rule: Record<string, unknown> | null, cycle: Create['cycles']): Create {
  return { ...(fields(form, rule) as Create), ...(cycle && cycle.length > 0 ? { cycles: cycle } : {}) };
}

/** PATCH /instrument-types/{id}: only the fields that changed. */
export function updateBody(before: TypeForm, after: TypeForm, rule: Record<string, unknown> | null): Update {
  const old = ruleOf(before.mpeRule);
  const was = fields(before, 'rule' in old ? old.rule : null);
  const now = fields(after, rule);
  return Object.fromEntries(
    Object.entries(now).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k as keyof Update])),
  ) as Update;
}
