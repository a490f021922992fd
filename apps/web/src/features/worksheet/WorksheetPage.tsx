import { Alert, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { can, type StaffRole } from '../../app/session';
import { decimalInput } from '../../ui/format';
import { ProblemError, unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { worksheetQueries, type RevisionView } from './queries';
import { ReadingsGrid, type PointsUpdate } from './ReadingsGrid';
import { SheetHeader, StandardsPanel } from './SheetHeader';
import {
  emptyForm,
  isComplete,
  toBody,
  toContent,
  useWorksheetData,
  type SheetForm,
  type Worksheet,
} from './useWorksheet';

type ResultSummary = NonNullable<ReturnType<typeof useWorksheetData>['result']['data']>;

/** Live preview: the API computes what recording would, 300 ms after the last keystroke. */
function usePreview(form: SheetForm, sheet: Worksheet, itemId: string, enabled: boolean) {
  const [debounced] = useDebouncedValue(form, 300);
  const complete = isComplete(debounced);
  return useQuery({
    queryKey: ['preview', itemId, JSON.stringify(toBody(debounced, sheet, itemId))],
    enabled: enabled && complete,
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: async () => unwrap(await api.POST('/results/preview', { body: toBody(debounced, sheet, itemId) })),
  });
}

function useSave(sheet: Worksheet, itemId: string, result: ResultSummary | null) {
  const { t } = useTranslation('worksheet');
  const client = useQueryClient();
  const done = async (revision: number) => {
    notifications.show({ message: t('savedRevision', { revision }) });
    await client.invalidateQueries({ queryKey: ['result-of-item', itemId] });
  };
  const save = useMutation({
    mutationFn: async (form: SheetForm) => {
      if (!result) return unwrap(await api.POST('/results', { body: toBody(form, sheet, itemId) }));
      const changes = toContent(form, sheet);
      return unwrap(
        await api.POST('/results/{id}/revisions', {
          params: { path: { id: result.id } },
          body: { ...changes, reason: form.reason },
        }),
      );
    },
    onSuccess: (r) => done(r.currentRevision),
  });
  const submit = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/results/{id}/submit', {
          params: { path: { id: result!.id } },
          body: { revision: result!.currentRevision },
        }),
      ),
    onSuccess: async () => {
      notifications.show({ message: t('submitted') });
      await client.invalidateQueries({ queryKey: ['result-of-item', itemId] });
    },
  });
  return { save, submit };
}

function Verdict({ outcome, busy }: { outcome: string | null | undefined; busy: boolean }) {
  const { t } = useTranslation('worksheet');
  return (
    <Group role="status" aria-label={t('verdict')} gap="xs">
      <Text fw={600}>{t('verdict')}:</Text>
      {outcome ? (
        <Badge size="lg" color={outcome === 'pass' ? 'teal' : 'red'}>
          {t(`common:outcome.${outcome}`)}
        </Badge>
      ) : (
        <Text c="dimmed">—</Text>
      )}
      {busy && (
        <Text size="sm" c="dimmed">
          {t('previewing')}
        </Text>
      )}
    </Group>
  );
}

/**
 * A recorded revision as the form, its decimals as typed in the active language (module-level: a new
 * `select` each render would reset the form).
 */
function toForm(r: RevisionView): SheetForm {
  const env = r.environment;
  return {
    measuredOn: r.measuredOn,
    place: r.place,
    environment: {
      temperature: decimalInput(env.temperature),
      humidity: decimalInput(env.humidity),
      pressure: decimalInput(env.pressure),
    },
    standardIds: r.standards.map((s) => s.id),
    points: r.points.map((p) => ({
      referenceValue: decimalInput(p.referenceValue),
      readings: p.readings.map(decimalInput),
    })),
    reason: '',
  };
}

/** The form as last recorded, for a draft or returned result: the technician continues from it. */
function useRecordedForm(sheet: Worksheet | undefined, result: ResultSummary | null | undefined) {
  return useQuery({ ...worksheetQueries.revision(result?.id), enabled: !!sheet && !!result, select: toForm });
}

function Sheet(props: {
  sheet: Worksheet;
  itemId: string;
  result: ResultSummary | null;
  editable: boolean;
  initial: SheetForm;
}) {
  const { t } = useTranslation('worksheet');
  const { sheet, itemId, result, editable } = props;
  const [form, setForm] = useState<SheetForm>(props.initial);
  useEffect(() => setForm(props.initial), [props.initial]);
  const setPoints = useCallback<PointsUpdate>((update) => setForm((f) => ({ ...f, points: update(f.points) })), []);
  const preview = usePreview(form, sheet, itemId, editable);
  const { save, submit } = useSave(sheet, itemId, result);
  const error = save.error ?? submit.error ?? (preview.error instanceof ProblemError ? preview.error : null);
  const canSubmit = !!result && (result.status === 'draft' || result.status === 'returned');
  return (
    <Stack>
      <SheetHeader sheet={sheet} form={form} setForm={setForm} error={error} readOnly={!editable} />
      <StandardsPanel sheet={sheet} form={form} setForm={setForm} error={error} readOnly={!editable} />
      <Text size="sm" c="dimmed">
        {t('gridHelp')}
      </Text>
      <ReadingsGrid
        sheet={sheet}
        points={form.points}
        onChange={setPoints}
        preview={preview.data?.points}
        error={error}
        readOnly={!editable}
      />
      <Verdict outcome={preview.data?.overallOutcome} busy={preview.isFetching} />
      <ProblemAlert error={error} />
      {editable && (
        <Group align="end">
          {result && (
            <TextInput
              label={t('reason')}
              w={360}
              value={form.reason}
              onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })}
            />
          )}
          <Button variant="light" onClick={() => save.mutate(form)} loading={save.isPending}>
            {t('saveDraft')}
          </Button>
          <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={!canSubmit}>
            {t('submit')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The worksheet of one request item, from its instrument type's template. */
export default function WorksheetPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('worksheet');
  const { requestId = '', itemId = '' } = useParams();
  const { item, template, sheet, result, ...all } = useWorksheetData(requestId, itemId);
  const recorded = useRecordedForm(sheet.data, result.data);
  const loading =
    all.loading || item.isLoading || template.isLoading || sheet.isLoading || result.isLoading || recorded.isLoading;
  const r = result.data ?? null;
  const editable =
    can(roles, 'technician') &&
    ['received', 'in_progress'].includes(item.data?.status ?? '') &&
    (!r || r.status === 'draft' || r.status === 'returned');
  const initial = useMemo(
    () => recorded.data ?? (sheet.data ? emptyForm(sheet.data) : null),
    [recorded.data, sheet.data],
  );
  const i = item.data;
  return (
    <QueryState loading={loading} error={item.error ?? template.error ?? sheet.error ?? result.error}>
      <Stack>
        {i && (
          <Title order={2}>
            {t('title', {
              service: t(`common:service.${i.service}`),
              instrument: i.instrument ? `${i.instrument.typeCode} ${i.instrument.serialNumber}` : (i.labelId ?? i.id),
            })}
          </Title>
        )}
        {template.data === null && <Alert color="yellow">{t('noTemplate')}</Alert>}
        {r && !editable && r.status !== 'draft' && <Alert color="blue">{t('locked')}</Alert>}
        {sheet.data && initial && (
          <Sheet sheet={sheet.data} itemId={itemId} result={r} editable={editable} initial={initial} />
        )}
      </Stack>
    </QueryState>
  );
}
