import type { components } from '../../api/schema';
import { parseDecimal } from '../../ui/parse-decimal';

export type Service = components['schemas']['RequestItemDto']['service'];
type RequestItemDto = components['schemas']['RequestItemDto'];

/** One line of a walk-in request: an instrument the customer has registered, or a new one. */
export type ItemDraft =
  | { key: number; kind: 'registered'; instrumentId: string; service: Service | '' }
  | ({
      key: number;
      kind: 'new';
      instrumentTypeId: string;
      manufacturer: string;
      model: string;
      serialNumber: string;
      service: Service | '';
    } & Record<Technical, string>);

/**
 * A new instrument's technical data, as typed (decimals with either separator): what the MPE rule
 * and the worksheet need (an accuracy class picks the rule of a class-dependent type), so that
 * contract review does not stop the item for data reception could have taken at the desk.
 */
export const TECHNICAL = [
  'accuracyClass',
  'rangeMin',
  'rangeMax',
  'rangeUnit',
  'resolution',
  'resolutionUnit',
] as const;
export type Technical = (typeof TECHNICAL)[number];
/** Typed with the locale's decimal separator: sent with '.'. */
export const DECIMAL_FIELDS: ReadonlySet<Technical> = new Set(['rangeMin', 'rangeMax', 'resolution']);

/**
 * What is sent for a typed technical value: decimals with '.', whatever separator was typed; an
 * accuracy class as typed ('II', 'Class 0.5'), except a plain number typed with a comma ('0,5').
 */
export function technicalValue(key: Technical, typed: string): string {
  if (key === 'accuracyClass') return typed.trim().replace(/^(\d+),(\d+)$/, '$1.$2');
  return DECIMAL_FIELDS.has(key) ? parseDecimal(typed) : typed.trim();
}

let nextKey = 1;
export const newDraft = (kind: ItemDraft['kind']): ItemDraft =>
  kind === 'new'
    ? {
        key: nextKey++,
        kind,
        instrumentTypeId: '',
        manufacturer: '',
        model: '',
        serialNumber: '',
        service: '',
        ...(Object.fromEntries(TECHNICAL.map((k) => [k, ''])) as Record<Technical, string>),
      }
    : { key: nextKey++, kind, instrumentId: '', service: '' };

/** A draft line as the API's item: an instrument id, or a new instrument for the customer. */
export function toItem(d: ItemDraft): RequestItemDto {
  const service = d.service as RequestItemDto['service'];
  if (d.kind === 'registered') return { instrumentId: d.instrumentId, service };
  const { instrumentTypeId, manufacturer, serialNumber } = d;
  const technical = Object.fromEntries(
    TECHNICAL.map((k) => [k, technicalValue(k, d[k])] as const).filter(([, v]) => v),
  );
  return {
    instrument: { instrumentTypeId, manufacturer, serialNumber, model: d.model || undefined, ...technical },
    service,
  };
}
