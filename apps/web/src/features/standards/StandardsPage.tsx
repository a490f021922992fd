import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { DueBadge } from '../../ui/due';
import { Paged, usePages } from '../../ui/pages';
import { FilterSelect } from '../../ui/pickers';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import './i18n';
import { StandardForm } from './StandardForm';

type Standard = components['schemas']['StandardView'];
type Level = Standard['level'];
type Status = Standard['status'];
const LEVELS: Level[] = ['reference', 'working', 'check'];
const STATUSES: Status[] = ['in_service', 'out_of_service', 'retired'];
/** Days ahead that count as "due soon" (the API's default window for GET /standards/due). */
const SOON = 60;

function StandardLink({ s }: { s: { id: string; code: string } }) {
  const { t } = useTranslation('standards');
  return (
    <Anchor component={Link} to={ROUTES.standard(s.id)} aria-label={t('open', { code: s.code })}>
      {s.code}
    </Anchor>
  );
}

function AllStandards() {
  const { t } = useTranslation('standards');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [level, setLevel] = useState<Level | ''>('');
  const [status, setStatus] = useState<Status | ''>('');
  const pages = usePages(['standards', q, level, status], async (cursor) =>
    unwrap(
      await api.GET('/standards', {
        params: {
          query: { limit: 20, cursor, ...(q ? { q } : {}), ...(level ? { level } : {}), ...(status ? { status } : {}) },
        },
      }),
    ),
  );
  return (
    <Stack>
      <Group align="end">
        <TextInput label={t('search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <FilterSelect
          label={t('level')}
          value={level}
          onChange={setLevel}
          options={LEVELS}
          optionLabel={(l) => t(`levels.${l}`)}
        />
        <FilterSelect
          label={t('status')}
          value={status}
          onChange={setStatus}
          options={STATUSES}
          optionLabel={(s) => t(`statuses.${s}`)}
        />
      </Group>
      <Paged pages={pages}>
        <ListTable label={t('title')} headers={['code', 'name', 'level', 'quantity', 'status', 'due'].map((h) => t(h))}>
          {pages.rows.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <StandardLink s={s} />
              </Table.Td>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>{t(`levels.${s.level}`)}</Table.Td>
              <Table.Td>
                {s.quantity} ({s.unit})
              </Table.Td>
              <Table.Td>
                <Badge variant="light" tt="none">
                  {t(`statuses.${s.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {s.latestCalibration ? (
                  <DueBadge dueDate={s.latestCalibration.dueDate} soonDays={SOON} />
                ) : (
                  <Badge color="red" variant="light" tt="none">
                    {t('neverCalibrated')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

function DueStandards() {
  const { t } = useTranslation('standards');
  const pages = usePages(['standards-due', SOON], async (cursor) =>
    unwrap(await api.GET('/standards/due', { params: { query: { limit: 20, cursor, within: SOON } } })),
  );
  return (
    <Paged pages={pages}>
      <ListTable label={t('dueOnly')} headers={['code', 'name', 'due', 'certificate', 'custodian'].map((h) => t(h))}>
        {pages.rows.map((d) => (
          <Table.Tr key={d.standard.id}>
            <Table.Td>
              <StandardLink s={d.standard} />
            </Table.Td>
            <Table.Td>{d.standard.name}</Table.Td>
            <Table.Td>
              {d.dueDate ? (
                <DueBadge dueDate={d.dueDate} soonDays={SOON} />
              ) : (
                <Badge color="red" variant="light" tt="none">
                  {t('neverCalibrated')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{d.certificateNumber ?? '—'}</Table.Td>
            <Table.Td>{d.custodianSection ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
    </Paged>
  );
}

/**
 * The centre's standards with due warnings; or only those due within 60 days, overdue or never
 * calibrated. Admins and technicians register a new one here.
 */
export default function StandardsPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('standards');
  const navigate = useNavigate();
  const [view, setView] = useState<'all' | 'due'>('all');
  const [registering, setRegistering] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        {can(roles, 'admin', 'technician') && !registering && (
          <Button variant="light" onClick={() => setRegistering(true)}>
            {t('register')}
          </Button>
        )}
      </Group>
      {registering && (
        <StandardForm onDone={(s) => void navigate(ROUTES.standard(s.id))} onCancel={() => setRegistering(false)} />
      )}
      <SegmentedControl
        aria-label={t('view')}
        value={view}
        onChange={(v) => setView(v as 'all' | 'due')}
        data={[
          { value: 'all', label: t('allStandards') },
          { value: 'due', label: t('dueOnly') },
        ]}
      />
      {view === 'all' ? <AllStandards /> : <DueStandards />}
    </Stack>
  );
}
