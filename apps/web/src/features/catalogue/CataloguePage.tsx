import { Anchor, Badge, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { useCan } from '../../ui/forms';
import { Paged, usePages } from '../../ui/pages';
import { FilterSelect } from '../../ui/pickers';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { SERVICES, type Service } from './body';
import { ConfidenceBadge } from './confidence';
import './i18n';
import { TypeFormModal } from './TypeForm';

/** "Create a centre type" for admins. */
function CreateType() {
  const { t } = useTranslation('catalogue');
  const [open, setOpen] = useState(false);
  if (!useCan('admin')) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('form.create')}</Button>
      {open && <TypeFormModal opened onClose={() => setOpen(false)} />}
    </>
  );
}

/** The type catalogue: cycles, MPE rules with their confidence, and whether a type can be verified now. */
export default function CataloguePage() {
  const { t } = useTranslation('catalogue');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [service, setService] = useState<Service | ''>('');
  const pages = usePages(['instrument-types', q, service], async (cursor) =>
    unwrap(
      await api.GET('/instrument-types', {
        params: { query: { limit: 20, cursor, ...(q ? { q } : {}), ...(service ? { service } : {}) } },
      }),
    ),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <CreateType />
      </Group>
      <Group align="end">
        <TextInput label={t('search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <FilterSelect
          label={t('service')}
          value={service}
          onChange={setService}
          options={SERVICES}
          optionLabel={(s) => t(`common:service.${s}`)}
        />
      </Group>
      <Paged pages={pages}>
        <ListTable
          label={t('title')}
          headers={['code', 'name', 'unit', 'cycle', 'readiness', 'rules'].map((h) => t(h))}
        >
          {pages.rows.map((ty) => (
            <Table.Tr key={ty.id}>
              <Table.Td>
                <Anchor component={Link} to={ROUTES.type(ty.id)} aria-label={t('open', { code: ty.code })}>
                  {ty.code}
                </Anchor>
              </Table.Td>
              <Table.Td>{ty.nameVi}</Table.Td>
              <Table.Td>{ty.unit}</Table.Td>
              <Table.Td>
                {ty.currentCycle?.cycleMonths ? t('months', { count: ty.currentCycle.cycleMonths }) : t('noCycle')}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={ty.readyForVerification ? 'teal' : 'orange'} tt="none">
                  {t(ty.readyForVerification ? 'ready' : 'notReady')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {ty.mpeRules.map((r) => (
                    <ConfidenceBadge key={r.id} rule={r} />
                  ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}
