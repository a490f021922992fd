import {
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { DateField } from '../../ui/DateField';
import { parseDecimal } from '../../ui/format';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import './i18n';

type Standard = components['schemas']['StandardView'];
type Body = components['schemas']['CreateCalibrationDto'];
type Trace = 'national_standard' | 'accredited_lab' | 'standard';
interface ValueRow {
  key: number;
  nominal: string;
  value: string;
  unit: string;
  u: string;
  k: string;
}
let nextKey = 1;
const row = (unit: string): ValueRow => ({ key: nextKey++, nominal: '', value: '', unit, u: '', k: '2' });

/** The centre's higher standard this one was calibrated against: a search and what it finds (20). */
function ParentPicker(props: { self: string; value: string; onChange: (id: string) => void; error?: string }) {
  const { t } = useTranslation('standards');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useQuery({
    queryKey: ['standards', 'picker', q],
    queryFn: async () =>
      unwrap(await api.GET('/standards', { params: { query: { limit: 20, ...(q ? { q } : {}) } } })).items,
  });
  return (
    <Group align="start">
      <TextInput label={t('cal.searchParent')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      <NativeSelect
        label={t('cal.parent')}
        value={props.value}
        error={props.error}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        data={[
          { value: '', label: t('cal.chooseParent') },
          ...(found.data ?? [])
            .filter((s) => s.id !== props.self)
            .map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` })),
        ]}
      />
    </Group>
  );
}

function ValueRows(props: { rows: ValueRow[]; set: (rows: ValueRow[]) => void; error: unknown; unit: string }) {
  const { t } = useTranslation('standards');
  const { rows, set } = props;
  const cell = (r: ValueRow, i: number, f: Exclude<keyof ValueRow, 'key'>, label: string, api: string) => (
    <TextInput
      label={t(label, { n: i + 1 })}
      w={f === 'unit' || f === 'k' ? 90 : 140}
      value={r[f]}
      error={fieldError(props.error, `values[${i}].${api}`)}
      onChange={(e) => set(rows.map((x) => (x.key === r.key ? { ...x, [f]: e.currentTarget.value } : x)))}
    />
  );
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('cal.values')}</Text>
      {rows.map((r, i) => (
        <Group key={r.key} align="start">
          {cell(r, i, 'nominal', 'cal.nominal', 'nominal')}
          {cell(r, i, 'value', 'cal.value', 'value')}
          {cell(r, i, 'unit', 'cal.unit', 'unit')}
          {cell(r, i, 'u', 'cal.u', 'expandedUncertainty')}
          {cell(r, i, 'k', 'cal.k', 'coverageFactor')}
          <Button
            mt={24}
            variant="subtle"
            color="red"
            aria-label={t('cal.removeValue', { n: i + 1 })}
            disabled={rows.length === 1}
            onClick={() => set(rows.filter((x) => x.key !== r.key))}
          >
            ✕
          </Button>
        </Group>
      ))}
      <Button w="fit-content" variant="light" onClick={() => set([...rows, row(props.unit)])}>
        {t('cal.addValue')}
      </Button>
    </Stack>
  );
}

function toBody(f: CalibrationDraft): Body {
  return {
    issuingLab: f.issuingLab.trim(),
    certificateNumber: f.certificateNumber.trim(),
    calibrationDate: f.calibrationDate,
    dueDate: f.dueDate,
    ...(f.trace === 'standard'
      ? { traceableToStandardId: f.parentId || undefined }
      : { externalReference: { kind: f.trace, name: f.externalName.trim() } }),
    values: f.values.map((v) => ({
      nominal: parseDecimal(v.nominal),
      value: v.value.trim() ? parseDecimal(v.value) : null,
      unit: v.unit.trim(),
      expandedUncertainty: parseDecimal(v.u),
      coverageFactor: parseDecimal(v.k),
    })),
    ...(f.notes.trim() ? { notes: f.notes.trim() } : {}),
  };
}

interface CalibrationDraft {
  issuingLab: string;
  certificateNumber: string;
  calibrationDate: string;
  dueDate: string;
  trace: Trace;
  externalName: string;
  parentId: string;
  values: ValueRow[];
  notes: string;
}

/** What the calibration is traceable to: a national standard or an accredited laboratory by name, or a standard of the centre's. */
function TraceTo(props: {
  self: string;
  f: CalibrationDraft;
  set: (patch: Partial<CalibrationDraft>) => void;
  error: unknown;
}) {
  const { t } = useTranslation('standards');
  const { f, set } = props;
  const err = (field: string) => fieldError(props.error, field);
  return (
    <>
      <Stack gap={4}>
        <Text fw={600}>{t('cal.traceTo')}</Text>
        <SegmentedControl
          aria-label={t('cal.traceTo')}
          w="fit-content"
          value={f.trace}
          onChange={(v) => set({ trace: v as Trace })}
          data={(['national_standard', 'accredited_lab', 'standard'] as const).map((k) => ({
            value: k,
            label: t(`cal.traceKinds.${k}`),
          }))}
        />
      </Stack>
      {f.trace === 'standard' ? (
        <ParentPicker
          self={props.self}
          value={f.parentId}
          onChange={(parentId) => set({ parentId })}
          error={err('traceableToStandardId')}
        />
      ) : (
        <TextInput
          label={t('cal.externalName')}
          w={420}
          value={f.externalName}
          error={err('externalReference')}
          onChange={(e) => set({ externalName: e.currentTarget.value })}
        />
      )}
    </>
  );
}

/**
 * Records a calibration certificate of the standard from a higher laboratory: who issued it, its
 * number and dates, what it is traceable to (a national standard, an accredited laboratory, or a
 * higher standard of the centre's own) and the values with U and k.
 */
export function CalibrationForm({ standard }: { standard: Standard }) {
  const { t } = useTranslation('standards');
  const client = useQueryClient();
  const empty = (): CalibrationDraft => ({
    issuingLab: '',
    certificateNumber: '',
    calibrationDate: '',
    dueDate: '',
    trace: 'national_standard',
    externalName: '',
    parentId: '',
    values: [row(standard.unit)],
    notes: '',
  });
  const [f, setF] = useState(empty);
  const set = (patch: Partial<CalibrationDraft>) => setF({ ...f, ...patch });
  const record = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/standards/{id}/calibrations', { params: { path: { id: standard.id } }, body: toBody(f) }),
      ),
    onSuccess: async (c) => {
      notifications.show({ message: t('recorded', { number: c.certificateNumber }) });
      setF(empty());
      for (const key of ['standard', 'standard-status', 'standard-calibrations', 'traceability', 'standards'])
        await client.invalidateQueries({ queryKey: [key] });
    },
  });
  const err = (field: string) => fieldError(record.error, field);
  const text = (k: 'issuingLab' | 'certificateNumber') => (
    <TextInput
      label={t(`cal.${k}`)}
      required
      w={300}
      value={f[k]}
      error={err(k)}
      onChange={(e) => set({ [k]: e.currentTarget.value })}
    />
  );
  return (
    <Paper withBorder p="md" component="section" aria-label={t('record')}>
      <Stack>
        <Title order={3}>{t('record')}</Title>
        <Group align="start">
          {text('issuingLab')}
          {text('certificateNumber')}
          <DateField
            label={t('cal.calibrationDate')}
            required
            value={f.calibrationDate}
            onChange={(v) => set({ calibrationDate: v })}
            error={err('calibrationDate')}
          />
          <DateField
            label={t('cal.dueDate')}
            required
            value={f.dueDate}
            onChange={(v) => set({ dueDate: v })}
            error={err('dueDate')}
          />
        </Group>
        <TraceTo self={standard.id} f={f} set={set} error={record.error} />
        <ValueRows rows={f.values} set={(values) => set({ values })} error={record.error} unit={standard.unit} />
        <Textarea label={t('cal.notes')} value={f.notes} onChange={(e) => set({ notes: e.currentTarget.value })} />
        <ProblemAlert error={record.error} />
        <Button w="fit-content" loading={record.isPending} onClick={() => record.mutate()}>
          {t('doRecord')}
        </Button>
      </Stack>
    </Paper>
  );
}
