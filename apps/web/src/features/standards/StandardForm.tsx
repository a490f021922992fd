import { Button, Group, NativeSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { decimal, parseDecimal } from '../../ui/format';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import './i18n';

type Standard = components['schemas']['StandardView'];
type Body = components['schemas']['CreateStandardDto'];
const TEXTS = [
  'code',
  'name',
  'quantity',
  'unit',
  'accuracyClass',
  'serialNumber',
  'manufacturer',
  'model',
  'custodianSection',
] as const;
const DECIMALS = ['rangeMin', 'rangeMax', 'uncertainty', 'coverageFactor'] as const;
type Field = (typeof TEXTS)[number] | (typeof DECIMALS)[number];
const REQUIRED: Field[] = ['code', 'name', 'quantity', 'unit'];
const LEVELS: Body['level'][] = ['reference', 'working', 'check'];
const STATUSES: NonNullable<Body['status']>[] = ['in_service', 'out_of_service', 'retired'];

function initial(s?: Standard): Record<Field, string> {
  const out = {} as Record<Field, string>;
  for (const f of TEXTS) out[f] = s?.[f] ?? '';
  for (const f of DECIMALS) out[f] = s?.[f] ? decimal(s[f]) : '';
  return out;
}

/** The form's values as the API's body: decimals with a point, empty optional fields as null. */
function toBody(v: Record<Field, string>, level: Body['level'], status: Body['status']): Body {
  const opt = (x: string) => (x.trim() ? x.trim() : null);
  const num = (x: string) => (x.trim() ? parseDecimal(x) : null);
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    quantity: v.quantity.trim(),
    unit: v.unit.trim(),
    level,
    status,
    accuracyClass: opt(v.accuracyClass),
    serialNumber: opt(v.serialNumber),
    manufacturer: opt(v.manufacturer),
    model: opt(v.model),
    custodianSection: opt(v.custodianSection),
    rangeMin: num(v.rangeMin),
    rangeMax: num(v.rangeMax),
    uncertainty: num(v.uncertainty),
    coverageFactor: num(v.coverageFactor),
  };
}

/**
 * Registers a standard (no `standard`) or corrects one: code, name, quantity and unit, range, its role
 * (chuẩn chính / công tác / kiểm tra), status, and what identifies it. 422s show beside their field.
 */
export function StandardForm(props: { standard?: Standard; onDone: (s: Standard) => void; onCancel: () => void }) {
  const { t } = useTranslation('standards');
  const client = useQueryClient();
  const s = props.standard;
  const [values, setValues] = useState(() => initial(s));
  const [level, setLevel] = useState<Body['level']>(s?.level ?? 'working');
  const [status, setStatus] = useState<NonNullable<Body['status']>>(s?.status ?? 'in_service');
  const save = useMutation({
    mutationFn: async () => {
      const body = toBody(values, level, status);
      return unwrap(
        s
          ? await api.PATCH('/standards/{id}', { params: { path: { id: s.id } }, body })
          : await api.POST('/standards', { body }),
      );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: s ? t('savedStandard') : t('registered', { code: saved.code }) });
      client.setQueryData(['standard', saved.id], saved);
      await client.invalidateQueries({ queryKey: ['standards'] });
      props.onDone(saved);
    },
  });
  const input = (f: Field) => (
    <TextInput
      key={f}
      label={t(`fields.${f}`)}
      required={REQUIRED.includes(f)}
      value={values[f]}
      error={fieldError(save.error, f)}
      onChange={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
    />
  );
  const title = s ? t('edit') : t('register');
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack>
        <Title order={3}>{title}</Title>
        <Group align="start">{(['code', 'name', 'quantity', 'unit'] as const).map(input)}</Group>
        <Group align="start">
          {(['rangeMin', 'rangeMax', 'uncertainty', 'coverageFactor', 'accuracyClass'] as const).map(input)}
        </Group>
        <Group align="start">
          <NativeSelect
            label={t('fields.level')}
            value={level}
            error={fieldError(save.error, 'level')}
            onChange={(e) => setLevel(e.currentTarget.value as Body['level'])}
            data={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
          />
          <NativeSelect
            label={t('fields.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as NonNullable<Body['status']>)}
            data={STATUSES.map((x) => ({ value: x, label: t(`statuses.${x}`) }))}
          />
          {(['serialNumber', 'manufacturer', 'model', 'custodianSection'] as const).map(input)}
        </Group>
        <ProblemAlert error={save.error} />
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            {s ? t('doSave') : t('doRegister')}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            {t('common:cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
