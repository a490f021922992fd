import { ActionIcon, Button, Group, NativeSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { FormModal } from '../../ui/forms';
import { AdminPlaceFields } from '../../ui/places';
import { fieldError, unwrap } from '../../ui/problem';
import { changes, formOf, SECTORS, type Form, type Organization, type Sector } from './changes';
import './i18n';

type Contact = components['schemas']['ContactDto'];
type Update = components['schemas']['UpdateOrganizationDto'];

function Contacts(props: { value: Required<Contact>[]; onChange: (c: Required<Contact>[]) => void; error: unknown }) {
  const { t } = useTranslation('customers');
  const set = (i: number, patch: Partial<Contact>) =>
    props.onChange(props.value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('contacts')}</Text>
      {props.value.map((c, i) => (
        <Group key={i} align="start" grow>
          {(['name', 'role', 'phone', 'email'] as const).map((k) => (
            <TextInput
              key={k}
              label={t(`contact.${k}`, { n: i + 1 })}
              value={c[k]}
              required={k === 'name'}
              error={fieldError(props.error, `contacts[${i}].${k}`)}
              onChange={(e) => set(i, { [k]: e.currentTarget.value })}
            />
          ))}
          <ActionIcon
            mt={26}
            variant="subtle"
            color="red"
            aria-label={t('contact.remove', { n: i + 1 })}
            onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        w="fit-content"
        onClick={() => props.onChange([...props.value, { name: '', role: '', phone: '', email: '' }])}
      >
        {t('contact.add')}
      </Button>
    </Stack>
  );
}

function AddressFields({ form, set, error }: { form: Form; set: (p: Partial<Form>) => void; error: unknown }) {
  const { t } = useTranslation('customers');
  const text = (key: 'streetAddress' | 'ward' | 'district' | 'province', required = false) => (
    <TextInput
      label={t(`fields.${key}`)}
      value={form[key]}
      required={required}
      error={fieldError(error, key)}
      onChange={(e) => set({ [key]: e.currentTarget.value })}
    />
  );
  return (
    <>
      <Group grow align="start">
        {text('streetAddress', true)}
        {text('ward')}
      </Group>
      <AdminPlaceFields
        value={{ provinceId: form.provinceId, communeId: form.communeId }}
        onChange={(p) => set(p)}
        errors={{ provinceId: fieldError(error, 'provinceId'), communeId: fieldError(error, 'communeId') }}
      />
      <Group grow align="start">
        {text('province', true)}
        {text('district')}
      </Group>
      <NativeSelect
        label={t('fields.sector')}
        value={form.sector ?? ''}
        error={fieldError(error, 'sector')}
        onChange={(e) => set({ sector: (e.currentTarget.value || null) as Sector | null })}
        data={[{ value: '', label: t('sector.none') }, ...SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) }))]}
      />
    </>
  );
}

/** Whether the customer receives recall notices (e-mail and the instrument.due webhook). */
function useRecall(organizationId: string) {
  return useQuery({
    queryKey: ['notice-preferences', organizationId],
    queryFn: async () =>
      unwrap(await api.GET('/organizations/{id}/notice-preferences', { params: { path: { id: organizationId } } })),
  });
}

function useSave(o: Organization, onDone: () => void) {
  const client = useQueryClient();
  const { t } = useTranslation('forms');
  return useMutation({
    mutationFn: async ({ body, recall }: { body: Update; recall: boolean | null }) => {
      const path = { id: o.id };
      if (Object.keys(body).length > 0) unwrap(await api.PATCH('/organizations/{id}', { params: { path }, body }));
      if (recall !== null)
        unwrap(
          await api.PUT('/organizations/{id}/notice-preferences', {
            params: { path },
            body: { recallNotices: recall },
          }),
        );
    },
    onSuccess: async () => {
      notifications.show({ message: t('saved') });
      onDone();
      await client.invalidateQueries({ queryKey: ['organization', o.id] });
      await client.invalidateQueries({ queryKey: ['notice-preferences', o.id] });
      await client.invalidateQueries({ queryKey: ['organizations'] });
    },
  });
}

/** Edits a customer: name, tax code, address (province and commune of today's map), contacts, recall notices. */
export function CustomerForm({ o, opened, onClose }: { o: Organization; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('customers');
  const [form, setForm] = useState(() => formOf(o));
  const recall = useRecall(o.id);
  const [recallNotices, setRecall] = useState<boolean | null>(null);
  const save = useSave(o, onClose);
  const set = (p: Partial<Form>) => setForm((f) => ({ ...f, ...p }));
  const current = recallNotices ?? recall.data?.recallNotices ?? true;
  return (
    <FormModal
      opened={opened}
      title={t('editTitle', { name: o.name })}
      onClose={onClose}
      pending={save.isPending}
      error={save.error}
      onSave={() =>
        save.mutate({
          body: changes(formOf(o), form),
          recall: recallNotices !== null && recallNotices !== recall.data?.recallNotices ? recallNotices : null,
        })
      }
    >
      <Group grow align="start">
        {(['name', 'taxCode'] as const).map((key) => (
          <TextInput
            key={key}
            label={t(key)}
            value={form[key]}
            required
            error={fieldError(save.error, key)}
            onChange={(e) => set({ [key]: e.currentTarget.value })}
          />
        ))}
      </Group>
      <AddressFields form={form} set={set} error={save.error} />
      <Contacts value={form.contacts} onChange={(contacts) => set({ contacts })} error={save.error} />
      <Switch
        label={t('recallNotices')}
        description={t('recallHint')}
        checked={current}
        disabled={!recall.data}
        onChange={(e) => setRecall(e.currentTarget.checked)}
      />
    </FormModal>
  );
}
