import { Anchor, Badge, Group, SegmentedControl, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import './i18n';

type Active = 'all' | 'true' | 'false';

/** Customers by name or tax code, active or not, paged by the API's cursor. */
export default function CustomersPage() {
  const { t } = useTranslation('customers');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [active, setActive] = useState<Active>('all');
  const pages = usePages(['organizations', q, active], async (cursor) =>
    unwrap(
      await api.GET('/organizations', {
        params: {
          query: { limit: 20, cursor, ...(q ? { q } : {}), ...(active === 'all' ? {} : { active: active === 'true' }) },
        },
      }),
    ),
  );
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <TextInput label={t('search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <SegmentedControl
          aria-label={t('state')}
          value={active}
          onChange={(v) => setActive(v as Active)}
          data={[
            { value: 'all', label: t('common:all') },
            { value: 'true', label: t('active') },
            { value: 'false', label: t('inactive') },
          ]}
        />
      </Group>
      <Paged pages={pages}>
        <ListTable label={t('title')} headers={[t('name'), t('taxCode'), t('address'), t('state')]}>
          {pages.rows.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <Anchor component={Link} to={ROUTES.customer(o.id)} aria-label={t('open', { name: o.name })}>
                  {o.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{o.taxCode}</Table.Td>
              <Table.Td>{[o.ward, o.district, o.province].filter(Boolean).join(', ')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={o.active ? 'teal' : 'gray'}>
                  {t(o.active ? 'active' : 'inactive')}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}
