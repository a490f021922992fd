import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { can, type StaffRole } from '../../app/session';
import { date } from '../../ui/format';
import { downloadCertificate } from '../../ui/download';
import { unwrap } from '../../ui/problem';
import { MoreButton, ProblemAlert, QueryState } from '../../ui/states';
import { FailedIssues } from './FailedIssues';

type Certificate = components['schemas']['CertificateView'];
type Status = Certificate['status'];
const STATUSES: Status[] = ['valid', 'expired', 'revoked', 'superseded', 'not_passed'];

/** Revoke or amend with a reason (reviewer, admin). */
function ReasonAction({ cert, action }: { cert: Certificate; action: 'revoke' | 'amend' }) {
  const { t } = useTranslation('certificates');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const path = { params: { path: { id: cert.id } }, body: { reason } };
  const act = useMutation({
    mutationFn: async () =>
      action === 'revoke'
        ? unwrap(await api.POST('/certificates/{id}/revoke', path))
        : unwrap(await api.POST('/certificates/{id}/amend', path)),
    onSuccess: async () => (setOpen(false), client.invalidateQueries({ queryKey: ['certificates'] })),
  });
  const label = t(action, { number: cert.number });
  return (
    <>
      <Button size="xs" variant="subtle" color={action === 'revoke' ? 'red' : undefined} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <Stack>
          <Textarea label={t('reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <ProblemAlert error={act.error} />
          <Group>
            <Button onClick={() => act.mutate()} disabled={!reason.trim()} loading={act.isPending}>
              {t('confirm')}
            </Button>
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Row({ c, edits }: { c: Certificate; edits: boolean }) {
  const { t } = useTranslation('certificates');
  const current = c.status === 'valid' || c.status === 'not_passed';
  return (
    <Table.Tr>
      <Table.Td>{c.number}</Table.Td>
      <Table.Td>{c.ownerName}</Table.Td>
      <Table.Td>
        {c.item.typeName} · {c.item.serial}
      </Table.Td>
      <Table.Td>
        <Badge variant="light">{t(`statuses.${c.status}`)}</Badge>
      </Table.Td>
      <Table.Td>{date(c.issueDate)}</Table.Td>
      <Table.Td>{date(c.validUntil)}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Button
            size="xs"
            variant="light"
            onClick={() => void downloadCertificate(c.id, c.number)}
            aria-label={t('download', { number: c.number })}
          >
            PDF
          </Button>
          {edits && current && <ReasonAction cert={c} action="amend" />}
          {edits && current && <ReasonAction cert={c} action="revoke" />}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Certificates by number and status, with download, amendment and revocation; failed issues for admins. */
export default function CertificatesPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('certificates');
  const [search, setSearch] = useState('');
  const [number] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<Status | ''>('');
  const list = useInfiniteQuery({
    queryKey: ['certificates', number, status],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/certificates', {
          params: {
            query: { limit: 20, cursor: pageParam, ...(number ? { number } : {}), ...(status ? { status } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const edits = can(roles, 'reviewer', 'admin');
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <TextInput label={t('search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <NativeSelect
          label={t('status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status | '')}
          data={[{ value: '', label: t('all') }, ...STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))]}
        />
      </Group>
      <QueryState loading={list.isLoading} error={list.error} empty={rows.length === 0}>
        <Table striped aria-label={t('title')}>
          <Table.Thead>
            <Table.Tr>
              {['number', 'owner', 'instrument', 'status', 'issued', 'validUntil'].map((h) => (
                <Table.Th key={h}>{t(h)}</Table.Th>
              ))}
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Row key={c.id} c={c} edits={edits} />
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      <MoreButton
        hasMore={!!list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => void list.fetchNextPage()}
      />
      {can(roles, 'admin') && <FailedIssues />}
    </Stack>
  );
}
