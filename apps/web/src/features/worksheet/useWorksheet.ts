import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { components } from '../../api/schema';
import { parseDecimal, todayIso } from '../../ui/format';
import { worksheetQueries } from './queries';

export type Worksheet = components['schemas']['WorksheetView'];
export type RecordBody = components['schemas']['RecordResultDto'];
export type PointView = components['schemas']['PointView'];
export const ENVIRONMENT = ['temperature', 'humidity', 'pressure'] as const;
export type EnvironmentKey = (typeof ENVIRONMENT)[number];

export interface SheetPoint {
  referenceValue: string;
  readings: string[];
}
export interface SheetForm {
  measuredOn: string;
  place: string;
  environment: Record<EnvironmentKey, string>;
  standardIds: string[];
  points: SheetPoint[];
  reason: string;
}

/**
 * The item, its template for the service, the template filled for the instrument today, and any result:
 * one read (`worksheetQueries.all`) that fills the four, which wait for it and fetch only what it did
 * not give them (it failed) or what was invalidated since.
 */
export function useWorksheetData(requestId: string, itemId: string) {
  const all = useQuery(worksheetQueries.all(requestId, itemId));
  const settled = !all.isPending && !all.isFetching;
  const q = worksheetQueries;
  const item = useQuery({ ...q.item(requestId, itemId), enabled: settled });
  const template = useQuery({ ...q.template(item.data), enabled: settled && !!item.data?.instrument });
  const sheet = useQuery({
    ...q.sheet(template.data?.id, item.data?.instrument?.id ?? ''),
    enabled: settled && !!template.data,
  });
  const result = useQuery({ ...q.resultOfItem(itemId), enabled: settled });
  return { loading: all.isLoading, item, template, sheet, result };
}

export function emptyForm(sheet: Worksheet): SheetForm {
  return {
    measuredOn: todayIso(),
    place: '',
    environment: { temperature: '', humidity: '', pressure: '' },
    standardIds: sheet.standards.filter((s) => s.usable).map((s) => s.id),
    points: sheet.points.map((p) => ({ referenceValue: '', readings: Array.from({ length: p.readings }, () => '') })),
    reason: '',
  };
}

export function useSheetForm() {
  return useState<SheetForm | null>(null);
}

/** Every reading and reference typed: only then is there something to compute. */
export function isComplete(form: SheetForm): boolean {
  return form.points.every((p) => p.referenceValue.trim() && p.readings.every((r) => r.trim()));
}

/** The body of POST /results (and of its preview) from what was typed. */
export function toBody(form: SheetForm, sheet: Worksheet, requestItemId: string): RecordBody {
  return { requestItemId, ...toContent(form, sheet) };
}

/** What was typed as a result's content (a correction's body, less its reason). */
export function toContent(form: SheetForm, sheet: Worksheet): Omit<RecordBody, 'requestItemId'> {
  const environment = Object.fromEntries(
    ENVIRONMENT.filter((k) => form.environment[k].trim()).map((k) => [k, parseDecimal(form.environment[k])]),
  );
  return {
    templateId: sheet.templateId,
    measuredOn: form.measuredOn,
    place: form.place.trim() || '—',
    environment,
    standardIds: form.standardIds,
    points: form.points.map((p, i) => ({
      nominal: sheet.points[i]!.nominal,
      unit: sheet.points[i]!.unit,
      referenceValue: parseDecimal(p.referenceValue),
      readings: p.readings.map(parseDecimal),
    })),
  };
}
