import { Anchor, Badge, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { DueBadge } from '../../ui/due';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { RegisterInstrument } from '../instruments/InstrumentForm';
import { QueryState } from '../../ui/states';
import { ApiKeys } from './ApiKeys';
import type { Organization } from './changes';
import { CustomerForm } from './CustomerForm';
import './i18n';

/** The customer's instruments (GET /instruments?owner=), paged, and "register an instrument" for it. */
function Instruments({ ownerId }: { ownerId: string }) {
  const { t } = useTranslation('customers');
  const pages = usePages(['instruments', 'owner', ownerId], async (cursor) =>
    unwrap(await api.GET('/instruments', { params: { query: { owner: ownerId, limit: 20, cursor } } })),
  );
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>{t('instruments')}</Title>
        <RegisterInstrument ownerId={ownerId} />
      </Group>
      <Paged pages={pages}>
        <ListTable label={t('instruments')} headers={[t('serial'), t('type'), t('due')]}>
          {pages.rows.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={ROUTES.instrument(i.id)}
                  aria-label={t('openInstrument', { serial: i.serialNumber })}
                >
                  {i.serialNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{i.instrumentType.nameVi}</Table.Td>
              <Table.Td>
                <DueBadge dueDate={i.nextDueDate} soonDays={30} />
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

/** Whether the customer takes recall notices, and "edit" for reception and admins. */
function Recall({ o, edits }: { o: Organization; edits: boolean }) {
  const { t } = useTranslation('customers');
  const [open, setOpen] = useState(false);
  const recall = useQuery({
    queryKey: ['notice-preferences', o.id],
    queryFn: async () =>
      unwrap(await api.GET('/organizations/{id}/notice-preferences', { params: { path: { id: o.id } } })),
  });
  return (
    <Group>
      {recall.data && (
        <Badge variant="light" color={recall.data.recallNotices ? 'teal' : 'gray'} tt="none">
          {t(recall.data.recallNotices ? 'recallOn' : 'recallOff')}
        </Badge>
      )}
      {edits && (
        <Button variant="light" onClick={() => setOpen(true)}>
          {t('edit')}
        </Button>
      )}
      {open && <CustomerForm o={o} opened onClose={() => setOpen(false)} />}
    </Group>
  );
}

/** A customer: its address and contacts, and its API keys (reception and admins issue and revoke them). */
export default function CustomerPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('customers');
  const { customerId = '' } = useParams();
  const org = useQuery({
    queryKey: ['organization', customerId],
    queryFn: async () => unwrap(await api.GET('/organizations/{id}', { params: { path: { id: customerId } } })),
  });
  const o = org.data;
  const edits = can(roles, 'admin', 'reception');
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.customers}>
        {t('common:back')}
      </Anchor>
      <QueryState loading={org.isLoading} error={org.error}>
        {o && (
          <Stack>
            <Group>
              <Title order={2}>{o.name}</Title>
              <Badge variant="light" color={o.active ? 'teal' : 'gray'}>
                {t(o.active ? 'active' : 'inactive')}
              </Badge>
              {!edits && <Badge color="gray">{t('readOnly')}</Badge>}
            </Group>
            <Text>
              {t('taxCode')}: {o.taxCode}
            </Text>
            <Text>
              {t('address')}: {[o.streetAddress, o.ward, o.district, o.province].filter(Boolean).join(', ')}
            </Text>
            {o.contacts.length > 0 && (
              <List aria-label={t('contacts')}>
                {o.contacts.map((c) => (
                  <List.Item key={`${c.name}${c.email ?? ''}`}>
                    {[c.name, c.role, c.phone, c.email].filter(Boolean).join(' · ')}
                  </List.Item>
                ))}
              </List>
            )}
            <Recall o={o} edits={edits} />
            <Instruments ownerId={o.id} />
            <ApiKeys organizationId={o.id} edits={edits} active={o.active} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
