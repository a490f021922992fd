import { Button, Group, NativeSelect, SimpleGrid, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { decimal, parseDecimal } from '../../ui/format';
import { FormModal, useCan } from '../../ui/forms';
import { OwnerSelect, TypeSelect } from '../../ui/pickers';
import { AdminPlaceFields } from '../../ui/places';
import { fieldError, unwrap } from '../../ui/problem';
import { createBody, formOf, PLACE_TEXTS, updateBody, type InstrumentForm, type Status } from './body';
import './i18n';

type Instrument = components['schemas']['InstrumentView'];
const STATUSES: Status[] = ['in_service', 'out_of_service', 'scrapped'];
/** Typed with the locale's decimal separator, sent with '.'. */
const NUMERIC = new Set(['rangeMin', 'rangeMax', 'resolution', 'scaleInterval', 'accuracyClass']);

type Key = Exclude<keyof InstrumentForm, 'place' | 'instrumentTypeId' | 'ownerId' | 'status'>;

function useField(form: InstrumentForm, set: (p: Partial<InstrumentForm>) => void, error: unknown) {
  const { t } = useTranslation('instruments');
  return (key: Key, required = false) => (
    <TextInput
      key={key}
      label={t(key === 'serialNumber' ? 'serial' : key)}
      required={required}
      value={NUMERIC.has(key) && form[key] ? decimal(form[key]) : form[key]}
      error={fieldError(error, key)}
      onChange={(e) => {
        const v = e.currentTarget.value;
        set({ [key]: NUMERIC.has(key) ? parseDecimal(v) : v });
      }}
    />
  );
}

function PlaceFields({
  form,
  set,
  error,
}: {
  form: InstrumentForm;
  set: (p: Partial<InstrumentForm>) => void;
  error: unknown;
}) {
  const { t } = useTranslation('instruments');
  const place = (p: Partial<InstrumentForm['place']>) => set({ place: { ...form.place, ...p } });
  return (
    <>
      <Text fw={600}>{t('placeOfUse')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {PLACE_TEXTS.map((k) => (
          <TextInput
            key={k}
            label={t(`place.${k}`)}
            value={form.place[k]}
            error={fieldError(error, `placeOfUse.${k}`)}
            onChange={(e) => place({ [k]: e.currentTarget.value })}
          />
        ))}
      </SimpleGrid>
      <AdminPlaceFields
        value={{ provinceId: form.place.provinceId, communeId: form.place.communeId }}
        onChange={place}
        errors={{
          provinceId: fieldError(error, 'placeOfUse.provinceId'),
          communeId: fieldError(error, 'placeOfUse.communeId'),
        }}
      />
    </>
  );
}

function Fields(props: {
  form: InstrumentForm;
  set: (p: Partial<InstrumentForm>) => void;
  error: unknown;
  creating: boolean;
  ownerFixed: boolean;
}) {
  const { t } = useTranslation('instruments');
  const { form, set, error } = props;
  const field = useField(form, set, error);
  return (
    <>
      {props.creating && (
        <Group grow align="start">
          <TypeSelect
            label={t('type')}
            required
            emptyLabel={t('choose')}
            value={form.instrumentTypeId}
            error={fieldError(error, 'instrumentTypeId')}
            onChange={(instrumentTypeId) => set({ instrumentTypeId })}
          />
          {!props.ownerFixed && (
            <OwnerSelect
              label={t('owner')}
              emptyLabel={t('choose')}
              value={form.ownerId}
              error={fieldError(error, 'ownerId')}
              onChange={(ownerId) => set({ ownerId })}
            />
          )}
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {field('serialNumber', true)}
        {field('manufacturer', true)}
        {field('model')}
        {field('rangeMin')}
        {field('rangeMax')}
        {field('rangeUnit')}
        {field('resolution')}
        {field('resolutionUnit')}
        {field('scaleInterval')}
        {field('accuracyClass')}
        {!props.creating && field('labelCode')}
        <NativeSelect
          label={t('status')}
          value={form.status}
          onChange={(e) => set({ status: e.currentTarget.value as Status })}
          data={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        />
      </SimpleGrid>
      <PlaceFields form={form} set={set} error={error} />
    </>
  );
}

function useSave(instrument: Instrument | undefined, before: InstrumentForm, onClose: () => void) {
  const { t } = useTranslation('forms');
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (form: InstrumentForm) =>
      instrument
        ? unwrap(
            await api.PATCH('/instruments/{id}', {
              params: { path: { id: instrument.id } },
              body: updateBody(before, form),
            }),
          )
        : unwrap(await api.POST('/instruments', { body: createBody(form) })),
    onSuccess: async (saved) => {
      notifications.show({ message: t('saved') });
      onClose();
      client.setQueryData(['instrument', saved.id], saved);
      await client.invalidateQueries({ queryKey: ['instruments'] });
      if (!instrument) await navigate(ROUTES.instrument(saved.id));
    },
  });
}

/**
 * Registers an instrument (POST /instruments: type, owner, serial, manufacturer, model, range,
 * resolution, e, accuracy class, place of use) or edits one (PATCH: what changed, and the label code).
 */
export function InstrumentFormModal(props: {
  opened: boolean;
  onClose: () => void;
  instrument?: Instrument;
  ownerId?: string;
}) {
  const { t } = useTranslation('instruments');
  const [before] = useState(() => formOf(props.instrument, props.ownerId ?? null));
  const [form, setForm] = useState(before);
  const save = useSave(props.instrument, before, props.onClose);
  const set = (p: Partial<InstrumentForm>) => setForm((f) => ({ ...f, ...p }));
  const i = props.instrument;
  return (
    <FormModal
      opened={props.opened}
      onClose={props.onClose}
      title={i ? t('editTitle', { serial: i.serialNumber }) : t('registerTitle')}
      pending={save.isPending}
      error={save.error}
      onSave={() => save.mutate(form)}
      saveLabel={i ? undefined : t('register')}
    >
      <Fields form={form} set={set} error={save.error} creating={!i} ownerFixed={!!props.ownerId} />
    </FormModal>
  );
}

/** "Register an instrument" for reception and admins: the form, then the new instrument's page. */
export function RegisterInstrument({ ownerId }: { ownerId?: string }) {
  const { t } = useTranslation('instruments');
  const [open, setOpen] = useState(false);
  if (!useCan('admin', 'reception')) return null;
  return (
    <>
      <Button w="fit-content" onClick={() => setOpen(true)}>
        {t('register')}
      </Button>
      {open && <InstrumentFormModal opened ownerId={ownerId} onClose={() => setOpen(false)} />}
    </>
  );
}
