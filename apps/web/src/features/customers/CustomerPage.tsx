import { Anchor, Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { unwrap } from '../../ui/problem';
import { QueryState } from '../../ui/states';
import { ApiKeys } from './ApiKeys';
import './i18n';

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
            <ApiKeys organizationId={o.id} edits={edits} active={o.active} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
