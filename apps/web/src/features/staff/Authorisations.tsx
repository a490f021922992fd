import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmDialog } from '../../ui/confirm';
import { DateField } from '../../ui/DateField';
import { date, todayIso } from '../../ui/format';
import { Paged, usePages } from '../../ui/pages';
import { TypeSelect, useActiveTypes } from '../../ui/pickers';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import { ListTable } from '../../ui/table';
import './i18n';

type User = components['schemas']['UserView'];
type Grant = components['schemas']['GrantAuthorisationDto'];
type Authorisation = components['schemas']['AuthorisationView'];
type Activity = Grant['activity'];
const SERVICES: Grant['service'][] = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
  'calibration',
  'testing',
];

/** What the account's roles allow: perform needs the technician role, approve the reviewer role. */
function activitiesOf(user: User): Activity[] {
  return [
    ...(user.roles.includes('technician') ? (['perform'] as const) : []),
    ...(user.roles.includes('reviewer') ? (['approve'] as const) : []),
  ];
}

function GrantForm({ user }: { user: User }) {
  const { t } = useTranslation('staff');
  const client = useQueryClient();
  const activities = activitiesOf(user);
  const [activity, setActivity] = useState<Activity | ''>(activities[0] ?? '');
  const [service, setService] = useState<Grant['service']>('verification_periodic');
  const [typeId, setTypeId] = useState('');
  const [validFrom, setValidFrom] = useState(todayIso());
  const [validUntil, setValidUntil] = useState('');
  const [reference, setReference] = useState('');
  const grant = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/users/{id}/authorisations', {
          params: { path: { id: user.id } },
          body: {
            activity: activity as Activity,
            service,
            instrumentTypeId: typeId || null,
            validFrom,
            validUntil: validUntil || null,
            reference: reference.trim() || undefined,
          },
        }),
      ),
    onSuccess: async () => {
      notifications.show({ message: t('granted') });
      await client.invalidateQueries({ queryKey: ['authorisations', user.id] });
    },
  });
  if (activities.length === 0) return <Text c="dimmed">{t('noActivity')}</Text>;
  const err = (f: string) => fieldError(grant.error, f);
  return (
    <Stack>
      <Group align="start">
        <NativeSelect
          label={t('activity')}
          value={activity}
          error={err('activity')}
          onChange={(e) => setActivity(e.currentTarget.value as Activity)}
          data={activities.map((a) => ({ value: a, label: t(`activities.${a}`) }))}
        />
        <NativeSelect
          label={t('service')}
          value={service}
          error={err('service')}
          onChange={(e) => setService(e.currentTarget.value as Grant['service'])}
          data={SERVICES.map((s) => ({ value: s, label: t(`common:service.${s}`) }))}
        />
        <TypeSelect label={t('type')} value={typeId} onChange={setTypeId} emptyLabel={t('everyType')} />
      </Group>
      <Group align="start">
        <DateField label={t('validFrom')} value={validFrom} onChange={setValidFrom} error={err('validFrom')} />
        <DateField
          label={t('validUntil')}
          value={validUntil}
          onChange={setValidUntil}
          clearable
          error={err('validUntil')}
        />
        <TextInput
          label={t('reference')}
          w={320}
          value={reference}
          error={err('reference')}
          onChange={(e) => setReference(e.currentTarget.value)}
        />
      </Group>
      <ProblemAlert error={grant.error} />
      <Button
        w="fit-content"
        loading={grant.isPending}
        disabled={!activity || !validFrom}
        onClick={() => grant.mutate()}
      >
        {t('grant')}
      </Button>
    </Stack>
  );
}

function Revoke({ user, a, what }: { user: User; a: Authorisation; what: string }) {
  const { t } = useTranslation('staff');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/users/{id}/authorisations/{authorisationId}', {
          params: { path: { id: user.id, authorisationId: a.id } },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['authorisations', user.id] });
    },
  });
  return (
    <>
      <Button size="xs" variant="subtle" color="red" aria-label={t('revoke', { what })} onClick={() => setOpen(true)}>
        {t('doRevoke')}
      </Button>
      <ConfirmDialog
        opened={open}
        title={t('revokeTitle')}
        confirmLabel={t('doRevoke')}
        danger
        onConfirm={() => revoke.mutate()}
        onClose={() => setOpen(false)}
        pending={revoke.isPending}
        error={revoke.error}
      >
        <Text size="sm">{what}</Text>
        <Text size="sm">{t('revokeHint')}</Text>
      </ConfirmDialog>
    </>
  );
}

/** A person's authorisations (revoked ones too, marked), a new one, revoke one. */
export function Authorisations({ user }: { user: User }) {
  const { t } = useTranslation('staff');
  const types = useActiveTypes();
  const typeName = (id: string | null) => {
    if (!id) return t('everyType');
    const ty = types.data?.find((x) => x.id === id);
    return ty ? `${ty.code} · ${ty.nameVi}` : id;
  };
  const pages = usePages(['authorisations', user.id], async (cursor) =>
    unwrap(
      await api.GET('/users/{id}/authorisations', { params: { path: { id: user.id }, query: { limit: 20, cursor } } }),
    ),
  );
  const describe = (a: Authorisation) =>
    `${t(`activities.${a.activity}`)} · ${t(`common:service.${a.service}`)} · ${typeName(a.instrumentTypeId)}`;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('authorisations')}>
      <Stack>
        <Title order={3}>{t('authorisations')}</Title>
        <Text size="sm">{t('authorisationsHint')}</Text>
        <Paged pages={pages}>
          <ListTable
            label={t('authorisations')}
            headers={['activity', 'service', 'type', 'validity', 'reference', 'state'].map((h) => t(h))}
          >
            {pages.rows.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{t(`activities.${a.activity}`)}</Table.Td>
                <Table.Td>{t(`common:service.${a.service}`)}</Table.Td>
                <Table.Td>{typeName(a.instrumentTypeId)}</Table.Td>
                <Table.Td>
                  {date(a.validFrom)} – {a.validUntil ? date(a.validUntil) : t('openEnded')}
                </Table.Td>
                <Table.Td>{a.reference ?? '—'}</Table.Td>
                <Table.Td>
                  {a.revokedAt ? (
                    t('revoked', { date: date(a.revokedAt) })
                  ) : (
                    <Revoke user={user} a={a} what={describe(a)} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        </Paged>
        <GrantForm key={user.roles.join()} user={user} />
      </Stack>
    </Paper>
  );
}
