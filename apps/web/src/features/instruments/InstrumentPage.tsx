import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { DueBadge } from '../../ui/due';
import { date, decimal } from '../../ui/format';
import { useCan } from '../../ui/forms';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { QueryState } from '../../ui/states';
import './i18n';
import { InstrumentFormModal } from './InstrumentForm';
import { TransferModal } from './Transfer';
import { placeOfUse } from './place';

type Instrument = components['schemas']['InstrumentView'];

function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value}</Text>
    </div>
  );
}

function Details({ i }: { i: Instrument }) {
  const { t } = useTranslation('instruments');
  const range = i.rangeMin || i.rangeMax ? `${decimal(i.rangeMin)} … ${decimal(i.rangeMax)} ${i.rangeUnit ?? ''}` : '—';
  const last = i.lastVerification;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Field label={t('type')} value={`${i.instrumentType.code} · ${i.instrumentType.nameVi}`} />
      <Field
        label={t('owner')}
        value={
          <Anchor component={Link} to={ROUTES.customer(i.owner.id)}>
            {i.owner.name}
          </Anchor>
        }
      />
      <Field label={t('placeOfUse')} value={placeOfUse(i)} />
      <Field label={t('manufacturer')} value={i.manufacturer} />
      <Field label={t('model')} value={i.model ?? '—'} />
      <Field label={t('labelCode')} value={i.labelCode ?? '—'} />
      <Field label={t('accuracyClass')} value={decimal(i.accuracyClass)} />
      <Field label={t('range')} value={range} />
      <Field
        label={t('resolution')}
        value={i.resolution ? `${decimal(i.resolution)} ${i.resolutionUnit ?? ''}` : '—'}
      />
      <Field label={t('scaleInterval')} value={i.scaleInterval ? decimal(i.scaleInterval) : '—'} />
      <Field
        label={t('lastVerification')}
        value={last ? `${date(last.date)} · ${t(`common:outcome.${last.passed ? 'pass' : 'fail'}`)}` : '—'}
      />
      <Field label={t('due')} value={<DueBadge dueDate={i.nextDueDate} soonDays={30} />} />
    </SimpleGrid>
  );
}

function History({ id }: { id: string }) {
  const { t } = useTranslation('instruments');
  const pages = usePages(['instrument-history', id], async (cursor) =>
    unwrap(await api.GET('/instruments/{id}/history', { params: { path: { id }, query: { limit: 20, cursor } } })),
  );
  return (
    <Stack gap="xs">
      <Title order={3}>{t('history')}</Title>
      <Paged pages={pages}>
        <ListTable
          label={t('history')}
          headers={['date', 'service', 'result', 'certificate', 'origin'].map((h) => t(h))}
        >
          {pages.rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{date(r.date)}</Table.Td>
              <Table.Td>{t(`common:service.${r.service}`)}</Table.Td>
              <Table.Td>{r.result ? t(`common:outcome.${r.result}`) : '—'}</Table.Td>
              <Table.Td>
                {r.certificateNumber ?? '—'}
                {r.revokedOn && ` (${t('common:status.revoked')} ${date(r.revokedOn)})`}
              </Table.Td>
              <Table.Td>{t(`origins.${r.origin}`)}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

function Certificates({ id }: { id: string }) {
  const { t } = useTranslation('instruments');
  const pages = usePages(['certificates', 'instrument', id], async (cursor) =>
    unwrap(await api.GET('/certificates', { params: { query: { instrumentId: id, limit: 20, cursor } } })),
  );
  return (
    <Stack gap="xs">
      <Title order={3}>{t('certificates')}</Title>
      <Paged pages={pages}>
        <ListTable
          label={t('certificates')}
          headers={['certificate', 'issued', 'validUntil', 'status'].map((h) => t(h))}
        >
          {pages.rows.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.number}</Table.Td>
              <Table.Td>{date(c.issueDate)}</Table.Td>
              <Table.Td>{date(c.validUntil)}</Table.Td>
              <Table.Td>
                <Badge variant="light">{t(`certStatuses.${c.status}`)}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

/** Edit and transfer, for reception and admins (an inspector or a technician sees neither). */
function Edits({ i }: { i: Instrument }) {
  const { t } = useTranslation('instruments');
  const [open, setOpen] = useState<'edit' | 'transfer' | null>(null);
  if (!useCan('admin', 'reception')) return null;
  return (
    <Group>
      <Button variant="light" onClick={() => setOpen('edit')}>
        {t('edit')}
      </Button>
      <Button variant="default" onClick={() => setOpen('transfer')}>
        {t('transfer')}
      </Button>
      {open === 'edit' && <InstrumentFormModal opened instrument={i} onClose={() => setOpen(null)} />}
      {open === 'transfer' && <TransferModal opened i={i} onClose={() => setOpen(null)} />}
    </Group>
  );
}

/** An instrument: type, serial, owner, place of use, due state, its service history and certificates. */
export default function InstrumentPage() {
  const { t } = useTranslation('instruments');
  const { instrumentId = '' } = useParams();
  const instrument = useQuery({
    queryKey: ['instrument', instrumentId],
    queryFn: async () => unwrap(await api.GET('/instruments/{id}', { params: { path: { id: instrumentId } } })),
  });
  const i = instrument.data;
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.instruments}>
        {t('common:back')}
      </Anchor>
      <QueryState loading={instrument.isLoading} error={instrument.error}>
        {i && (
          <Stack>
            <Group>
              <Title order={2}>
                {i.instrumentType.nameVi} · {i.serialNumber}
              </Title>
              <Badge variant="light">{t(`statuses.${i.status}`)}</Badge>
            </Group>
            {i.verificationRevokedOn && <Text c="red">{t('revokedOn', { date: date(i.verificationRevokedOn) })}</Text>}
            <Details i={i} />
            <Edits i={i} />
            <History id={i.id} />
            <Certificates id={i.id} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
