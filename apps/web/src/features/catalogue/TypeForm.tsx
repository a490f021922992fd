import { Checkbox, Group, NativeSelect, SimpleGrid, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { DateField } from '../../ui/DateField';
import { todayIso } from '../../ui/format';
import { FormModal } from '../../ui/forms';
import { fieldError, unwrap } from '../../ui/problem';
import {
  createBody,
  FLAGS,
  formOf,
  ruleOf,
  SERVICES,
  updateBody,
  type Quality,
  type Service,
  type TypeForm,
} from './body';
import { ruleText } from './confidence';
import './i18n';

type InstrumentType = components['schemas']['InstrumentTypeView'];
const QUALITIES: Quality[] = ['confirmed', 'uncertain'];

export interface CycleForm {
  cycleMonths: string;
  effectiveFrom: string;
  legalBasis: string;
  note: string;
  dataQuality: Quality;
}
const NO_CYCLE: CycleForm = {
  cycleMonths: '',
  effectiveFrom: todayIso(),
  legalBasis: '',
  note: '',
  dataQuality: 'confirmed',
};

/** A cycle row as the API takes it: months (empty: no periodic verification), from, legal basis. */
export function cycleBody(c: CycleForm): components['schemas']['CreateCycleDto'] {
  return {
    cycleMonths: c.cycleMonths.trim() === '' ? null : Number(c.cycleMonths.trim()),
    effectiveFrom: c.effectiveFrom,
    legalBasis: c.legalBasis.trim(),
    dataQuality: c.dataQuality,
    ...(c.note.trim() ? { note: c.note.trim() } : {}),
  };
}

/** A cycle's fields; `prefix` names them in the API's field errors (`cycles[0].` on create). */
export function CycleFields(props: {
  value: CycleForm;
  onChange: (c: CycleForm) => void;
  error: unknown;
  prefix: string;
}) {
  const { t } = useTranslation('catalogue');
  const { value: c, error, prefix } = props;
  const set = (p: Partial<CycleForm>) => props.onChange({ ...c, ...p });
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput
        label={t('form.cycleMonths')}
        description={t('form.cycleMonthsHint')}
        inputMode="numeric"
        value={c.cycleMonths}
        error={fieldError(error, `${prefix}cycleMonths`)}
        onChange={(e) => set({ cycleMonths: e.currentTarget.value })}
      />
      <DateField
        label={t('effectiveFrom')}
        value={c.effectiveFrom}
        error={fieldError(error, `${prefix}effectiveFrom`)}
        onChange={(effectiveFrom) => set({ effectiveFrom })}
      />
      <TextInput
        label={t('legalBasis')}
        value={c.legalBasis}
        error={fieldError(error, `${prefix}legalBasis`)}
        onChange={(e) => set({ legalBasis: e.currentTarget.value })}
      />
      <TextInput label={t('note')} value={c.note} onChange={(e) => set({ note: e.currentTarget.value })} />
      <NativeSelect
        label={t('dataQuality')}
        value={c.dataQuality}
        onChange={(e) => set({ dataQuality: e.currentTarget.value as Quality })}
        data={QUALITIES.map((q) => ({ value: q, label: t(`qualities.${q}`) }))}
      />
    </SimpleGrid>
  );
}

function RuleField({ form, set, error }: { form: TypeForm; set: (p: Partial<TypeForm>) => void; error: unknown }) {
  const { t } = useTranslation('catalogue');
  const parsed = ruleOf(form.mpeRule);
  return (
    <>
      <Textarea
        label={t('form.mpeRule')}
        description={t('form.mpeRuleHint')}
        autosize
        minRows={3}
        styles={{ input: { fontFamily: 'monospace' } }}
        value={form.mpeRule}
        error={
          'invalid' in parsed
            ? parsed.invalid === 'not-object'
              ? t('form.ruleNotObject')
              : t('form.ruleInvalid', { why: parsed.invalid })
            : fieldError(error, 'mpeRule')
        }
        onChange={(e) => set({ mpeRule: e.currentTarget.value })}
      />
      {'rule' in parsed && parsed.rule && <Text size="sm">{t('form.ruleReads', { rule: ruleText(parsed.rule) })}</Text>}
    </>
  );
}

function Fields({ form, set, error }: { form: TypeForm; set: (p: Partial<TypeForm>) => void; error: unknown }) {
  const { t } = useTranslation('catalogue');
  const text = (
    k: 'code' | 'nameVi' | 'nameEn' | 'measuredQuantity' | 'unit' | 'capabilityDivisor',
    required = true,
  ) => (
    <TextInput
      label={t(`form.${k}`)}
      required={required}
      value={form[k]}
      error={fieldError(error, k)}
      onChange={(e) => set({ [k]: e.currentTarget.value })}
    />
  );
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {text('code')}
        {text('nameVi')}
        {text('nameEn')}
        {text('measuredQuantity')}
        {text('unit')}
        {text('capabilityDivisor', false)}
      </SimpleGrid>
      <Checkbox.Group
        label={t('form.services')}
        value={form.services}
        error={fieldError(error, 'services')}
        onChange={(v) => set({ services: v as Service[] })}
      >
        <Group mt={4}>
          {SERVICES.map((s) => (
            <Checkbox key={s} value={s} label={t(`common:service.${s}`)} />
          ))}
        </Group>
      </Checkbox.Group>
      <Textarea
        label={t('form.procedures')}
        description={t('form.proceduresHint')}
        autosize
        value={form.procedures}
        error={fieldError(error, 'procedures')}
        onChange={(e) => set({ procedures: e.currentTarget.value })}
      />
      <RuleField form={form} set={set} error={error} />
      <Group>
        {FLAGS.map((k) => (
          <Switch
            key={k}
            label={t(`form.${k}`)}
            checked={form[k]}
            onChange={(e) => set({ [k]: e.currentTarget.checked })}
          />
        ))}
        <NativeSelect
          label={t('dataQuality')}
          value={form.dataQuality}
          onChange={(e) => set({ dataQuality: e.currentTarget.value as Quality })}
          data={QUALITIES.map((q) => ({ value: q, label: t(`qualities.${q}`) }))}
        />
      </Group>
      <Textarea
        label={t('form.sourceNote')}
        value={form.sourceNote}
        onChange={(e) => set({ sourceNote: e.currentTarget.value })}
      />
    </>
  );
}

function useSave(ty: InstrumentType | undefined, before: TypeForm, onClose: () => void) {
  const { t } = useTranslation('forms');
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async ({ form, cycle }: { form: TypeForm; cycle: CycleForm | null }) => {
      const parsed = ruleOf(form.mpeRule);
      const rule = 'rule' in parsed ? parsed.rule : null;
      if (ty)
        return unwrap(
          await api.PATCH('/instrument-types/{id}', {
            params: { path: { id: ty.id } },
            body: updateBody(before, form, rule),
          }),
        );
      return unwrap(
        await api.POST('/instrument-types', { body: createBody(form, rule, cycle ? [cycleBody(cycle)] : []) }),
      );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: t('saved') });
      onClose();
      client.setQueryData(['instrument-type', saved.id], saved);
      await client.invalidateQueries({ queryKey: ['instrument-types'] });
      if (!ty) await navigate(ROUTES.type(saved.id));
    },
  });
}

/**
 * Creates a centre type (POST /instrument-types, with its first cycle when given) or edits one
 * (PATCH: names, services, procedures, the centre's MPE rule, capability, flags): admins only.
 */
export function TypeFormModal({ ty, opened, onClose }: { ty?: InstrumentType; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('catalogue');
  const [before] = useState(() => formOf(ty));
  const [form, setForm] = useState(before);
  const [cycle, setCycle] = useState<CycleForm>(NO_CYCLE);
  const save = useSave(ty, before, onClose);
  const set = (p: Partial<TypeForm>) => setForm((f) => ({ ...f, ...p }));
  const withCycle = cycle.legalBasis.trim() !== '';
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={ty ? t('form.editTitle', { code: ty.code }) : t('form.createTitle')}
      pending={save.isPending}
      error={save.error}
      disabled={'invalid' in ruleOf(form.mpeRule)}
      onSave={() => save.mutate({ form, cycle: withCycle ? cycle : null })}
    >
      <Fields form={form} set={set} error={save.error} />
      {!ty && (
        <>
          <Text fw={600}>{t('form.firstCycle')}</Text>
          <CycleFields value={cycle} onChange={setCycle} error={save.error} prefix="cycles[0]." />
        </>
      )}
    </FormModal>
  );
}

/** A new row of the type's cycle history (POST /instrument-types/{id}/cycles): admins only. */
export function CycleModal({ ty, opened, onClose }: { ty: InstrumentType; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('catalogue');
  const client = useQueryClient();
  const [cycle, setCycle] = useState<CycleForm>(NO_CYCLE);
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/instrument-types/{id}/cycles', { params: { path: { id: ty.id } }, body: cycleBody(cycle) }),
      ),
    onSuccess: async () => {
      onClose();
      await client.invalidateQueries({ queryKey: ['instrument-type', ty.id] });
      await client.invalidateQueries({ queryKey: ['instrument-types'] });
    },
  });
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={t('form.cycleTitle', { code: ty.code })}
      pending={add.isPending}
      error={add.error}
      onSave={() => add.mutate()}
    >
      <Text size="sm">{t('form.cycleHint')}</Text>
      <CycleFields value={cycle} onChange={setCycle} error={add.error} prefix="" />
    </FormModal>
  );
}
