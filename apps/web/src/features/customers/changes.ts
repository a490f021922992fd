import type { components } from '../../api/schema';

export type Organization = components['schemas']['OrganizationView'];
type Contact = components['schemas']['ContactDto'];
type Update = components['schemas']['UpdateOrganizationDto'];
export type Sector = NonNullable<Organization['sector']>;

/** The sectors the API takes (libs/registry sector.ts), in the order the form offers them. */
export const SECTORS: readonly Sector[] = [
  'fuel_retail',
  'trade_markets',
  'health',
  'industry',
  'construction',
  'transport',
  'utilities',
  'education_research',
  'public_administration',
  'other',
];

export interface Form {
  name: string;
  taxCode: string;
  streetAddress: string;
  ward: string;
  district: string;
  province: string;
  provinceId: string | null;
  communeId: string | null;
  sector: Sector | null;
  contacts: Required<Contact>[];
}

export function formOf(o: Organization): Form {
  return {
    name: o.name,
    taxCode: o.taxCode,
    streetAddress: o.streetAddress,
    ward: o.ward ?? '',
    district: o.district ?? '',
    province: o.province,
    provinceId: o.provinceId,
    communeId: o.communeId,
    sector: o.sector,
    contacts: o.contacts.map((c) => ({ name: c.name, role: c.role ?? '', phone: c.phone ?? '', email: c.email ?? '' })),
  };
}

/** A contact as the API takes it: the fields left empty are left out. */
function contactOf(c: Required<Contact>): Contact {
  return Object.fromEntries(
    Object.entries(c)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v !== ''),
  ) as Contact;
}

/** Only what changed (PATCH): an untouched field is not sent. */
export function changes(before: Form, after: Form): Update {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'taxCode', 'streetAddress', 'ward', 'district', 'province'] as const)
    if (after[key].trim() !== before[key]) out[key] = after[key].trim();
  for (const key of ['provinceId', 'communeId', 'sector'] as const)
    if (after[key] !== before[key]) out[key] = after[key];
  const contacts = after.contacts.map(contactOf);
  if (JSON.stringify(contacts) !== JSON.stringify(before.contacts.map(contactOf))) out.contacts = contacts;
  return out as Update;
}
