import type { components } from '../../api/schema';

type Instrument = components['schemas']['InstrumentView'];
type Create = components['schemas']['CreateInstrumentDto'];
type Update = components['schemas']['UpdateInstrumentDto'];
export type Status = Instrument['status'];

export const TEXTS = [
  'serialNumber',
  'manufacturer',
  'model',
  'labelCode',
  'accuracyClass',
  'rangeUnit',
  'resolutionUnit',
] as const;
export const DECIMALS = ['rangeMin', 'rangeMax', 'resolution', 'scaleInterval'] as const;
export const PLACE_TEXTS = ['siteName', 'streetAddress', 'ward', 'district', 'province'] as const;
type Text = (typeof TEXTS)[number] | (typeof DECIMALS)[number];

/** What the instrument form holds: every field as typed (decimals as the API's strings, '.' as separator). */
export interface InstrumentForm extends Record<Text, string> {
  instrumentTypeId: string;
  ownerId: string | null;
  status: Status;
  place: Record<(typeof PLACE_TEXTS)[number], string> & { provinceId: string | null; communeId: string | null };
}

/** A new instrument's form (for this owner, when known), or an instrument's as it is. */
export function formOf(i?: Instrument, ownerId: string | null = null): InstrumentForm {
  const text = (v: string | null | undefined) => v ?? '';
  const p = i?.placeOfUse;
  return {
    instrumentTypeId: i?.instrumentType.id ?? '',
    ownerId: i?.owner.id ?? ownerId,
    status: i?.status ?? 'in_service',
    ...(Object.fromEntries(TEXTS.map((k) => [k, text(i?.[k])])) as Record<(typeof TEXTS)[number], string>),
    ...(Object.fromEntries(DECIMALS.map((k) => [k, text(i?.[k])])) as Record<(typeof DECIMALS)[number], string>),
    place: {
      ...(Object.fromEntries(PLACE_TEXTS.map((k) => [k, text(p?.[k])])) as Record<
        (typeof PLACE_TEXTS)[number],
        string
      >),
      provinceId: p?.provinceId ?? null,
      communeId: p?.communeId ?? null,
    },
  };
}

function value(form: InstrumentForm, key: Text): string | null {
  const v = form[key].trim();
  return v === '' ? null : v;
}

function placeOf(form: InstrumentForm): Create['placeOfUse'] {
  const out: Record<string, string | null> = { provinceId: form.place.provinceId, communeId: form.place.communeId };
  for (const k of PLACE_TEXTS) out[k] = form.place[k].trim() || null;
  return out;
}

/** POST /instruments: the fields given (an empty optional field is left out). */
export function createBody(form: InstrumentForm): Create {
  const body: Record<string, unknown> = {
    instrumentTypeId: form.instrumentTypeId,
    serialNumber: form.serialNumber.trim(),
    manufacturer: form.manufacturer.trim(),
    status: form.status,
    ...(form.ownerId ? { ownerId: form.ownerId } : {}),
  };
  for (const k of [...TEXTS, ...DECIMALS]) {
    const v = value(form, k);
    if (v !== null && !(k in body) && k !== 'labelCode') body[k] = v;
  }
  const place = Object.fromEntries(Object.entries(placeOf(form) ?? {}).filter(([, v]) => v !== null));
  if (Object.keys(place).length > 0) body.placeOfUse = place;
  return body as Create;
}

/** PATCH /instruments/{id}: only what changed; a cleared optional field becomes null. */
export function updateBody(before: InstrumentForm, after: InstrumentForm): Update {
  const body: Record<string, unknown> = {};
  for (const k of [...TEXTS, ...DECIMALS]) if (value(after, k) !== value(before, k)) body[k] = value(after, k);
  if (after.status !== before.status) body.status = after.status;
  if (JSON.stringify(placeOf(after)) !== JSON.stringify(placeOf(before))) body.placeOfUse = placeOf(after);
  return body as Update;
}
