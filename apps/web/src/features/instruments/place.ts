import type { components } from '../../api/schema';

/** Where an instrument is used, in one line. */
export function placeOfUse(i: Pick<components['schemas']['InstrumentView'], 'placeOfUse'>): string {
  const p = i.placeOfUse;
  return [p.siteName, p.streetAddress, p.ward, p.district, p.province].filter(Boolean).join(', ') || '—';
}
