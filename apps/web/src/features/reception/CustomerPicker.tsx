import { Button, Group, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';

export interface Customer {
  id: string;
  name: string;
}

const EMPTY = { name: '', taxCode: '', streetAddress: '', province: '' };

/** A walk-in customer not yet registered: name, tax code and address (POST /organizations). */
function NewCustomer({ onCreated }: { onCreated: (c: Customer) => void }) {
  const { t } = useTranslation('reception');
  const [form, setForm] = useState(EMPTY);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/organizations', { body: form })),
    onSuccess: (org) => onCreated({ id: org.id, name: org.name }),
  });
  const field = (key: keyof typeof EMPTY) => (
    <TextInput
      label={t(`newCustomer.${key}`)}
      value={form[key]}
      required
      error={fieldError(create.error, key)}
      onChange={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
    />
  );
  return (
    <Stack gap="xs">
      <Group grow align="start">
        {field('name')}
        {field('taxCode')}
      </Group>
      <Group grow align="start">
        {field('streetAddress')}
        {field('province')}
      </Group>
      <ProblemAlert error={create.error} />
      <Button w="fit-content" variant="light" loading={create.isPending} onClick={() => create.mutate()}>
        {t('newCustomer.create')}
      </Button>
    </Stack>
  );
}

/** Choose the customer by name or tax code (GET /organizations?q=), or register a new one. */
export function CustomerPicker({ value, onChange }: { value: Customer | null; onChange: (c: Customer) => void }) {
  const { t } = useTranslation('reception');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const found = useQuery({
    queryKey: ['organizations', 'search', q],
    enabled: q.trim().length >= 2,
    queryFn: async () =>
      unwrap(await api.GET('/organizations', { params: { query: { q: q.trim(), active: true, limit: 10 } } })),
  });
  const rows = found.data?.items ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-label={t('customer')}>
      <Stack>
        <Title order={3}>{t('customer')}</Title>
        {value && <Text fw={600}>{t('chosenCustomer', { name: value.name })}</Text>}
        <TextInput label={t('findCustomer')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        {q.trim().length >= 2 && (
          <QueryState loading={found.isLoading} error={found.error} empty={rows.length === 0}>
            <Radio.Group value={value?.id ?? ''} onChange={(id) => onChange(rows.find((r) => r.id === id)!)}>
              <Stack gap={4}>
                {rows.map((r) => (
                  <Radio key={r.id} value={r.id} label={`${r.name} · ${r.taxCode}`} />
                ))}
              </Stack>
            </Radio.Group>
          </QueryState>
        )}
        <Button variant="subtle" w="fit-content" onClick={() => setCreating(!creating)}>
          {t('newCustomer.toggle')}
        </Button>
        {creating && (
          <NewCustomer
            onCreated={(c) => {
              setCreating(false);
              onChange(c);
            }}
          />
        )}
      </Stack>
    </Paper>
  );
}
