import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { can, type StaffRole } from '../../app/session';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { QueryState } from '../../ui/states';
import { ContractReview } from './ContractReview';
import { ReceivePanel } from './ReceivePanel';
import { SchedulePanel } from './SchedulePanel';

export type RequestView = components['schemas']['RequestView'];
export type ItemView = RequestView['items'][number];

export function useRequest(id: string) {
  return useQuery({
    queryKey: ['request', id],
    queryFn: async () => unwrap(await api.GET('/requests/{id}', { params: { path: { id } } })),
  });
}

function ItemsTable({ items }: { items: ItemView[] }) {
  const { t } = useTranslation('reception');
  return (
    <Table striped aria-label={t('items')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('instrument')}</Table.Th>
          <Table.Th>{t('serial')}</Table.Th>
          <Table.Th>{t('service')}</Table.Th>
          <Table.Th>{t('itemStatus')}</Table.Th>
          <Table.Th>{t('date')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>
              {i.instrument?.typeCode ?? i.subjectKind} · {i.instrument?.manufacturer ?? ''} {i.instrument?.model ?? ''}
            </Table.Td>
            <Table.Td>{i.instrument?.serialNumber ?? i.labelId ?? ''}</Table.Td>
            <Table.Td>{t(`common:service.${i.service}`)}</Table.Td>
            <Table.Td>
              <Badge variant="light">{t(`common:status.${i.status}`)}</Badge>
            </Table.Td>
            <Table.Td>{date(i.scheduledDate)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One request: its items, the contract review and acceptance, scheduling and receipt. */
export default function RequestPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('reception');
  const { requestId = '' } = useParams();
  const request = useRequest(requestId);
  const r = request.data;
  const edits = can(roles, 'admin', 'reception');
  return (
    <QueryState loading={request.isLoading} error={request.error}>
      {r && (
        <Stack>
          <Group justify="space-between">
            <Title order={2}>
              {t('request')} · {r.organization.name}
            </Title>
            <Badge size="lg">{t(`common:status.${r.status}`)}</Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {t('received')}: {date(r.createdAt)}
          </Text>
          {!edits && <Badge color="gray">{t('readOnly')}</Badge>}
          <ItemsTable items={r.items} />
          {edits && r.items.some((i) => i.status === 'submitted') && <ContractReview request={r} />}
          {edits && r.items.some((i) => i.status === 'accepted') && <SchedulePanel request={r} />}
          {edits && r.items.some((i) => i.status === 'scheduled') && <ReceivePanel request={r} />}
        </Stack>
      )}
    </QueryState>
  );
}
