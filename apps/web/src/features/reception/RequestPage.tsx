import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { can, type StaffRole } from '../../app/session';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { MoreButton, ProblemAlert, QueryState } from '../../ui/states';
import { AllItemsPanel } from './AllItems';
import { ContractReview } from './ContractReview';
import { downloadLabels } from './labels';
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

/**
 * The request's items: the first 50 come with the request; "show more" pages the rest with the
 * API's cursor (GET /requests/{id}/items), 50 at a time, only when asked for.
 */
function usePagedItems(request: RequestView | undefined) {
  const [open, setOpen] = useState(false);
  const first = request?.itemsNextCursor ?? undefined;
  const more = useInfiniteQuery({
    queryKey: ['request', request?.id ?? '', 'items', first],
    enabled: open && !!first,
    initialPageParam: first,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/requests/{id}/items', {
          params: { path: { id: request!.id }, query: { limit: 50, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = [...(request?.items ?? []), ...(open ? (more.data?.pages.flatMap((p) => p.items) ?? []) : [])];
  return {
    items,
    error: more.error,
    hasMore: open ? !!more.hasNextPage : !!first,
    loading: more.isFetching,
    onMore: () => (open ? void more.fetchNextPage() : setOpen(true)),
  };
}

function ItemsTable({ items }: { items: ItemView[] }) {
  const { t } = useTranslation('reception');
  return (
    <Table striped aria-label={t('items')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>{t('instrument')}</Table.Th>
          <Table.Th>{t('serial')}</Table.Th>
          <Table.Th>{t('service')}</Table.Th>
          <Table.Th>{t('itemStatus')}</Table.Th>
          <Table.Th>{t('date')}</Table.Th>
          <Table.Th>{t('labelCode')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>{i.ordinal + 1}</Table.Td>
            <Table.Td>
              {i.instrument?.typeCode ?? i.subjectKind} · {i.instrument?.manufacturer ?? ''} {i.instrument?.model ?? ''}
            </Table.Td>
            <Table.Td>{i.instrument?.serialNumber ?? i.labelId ?? ''}</Table.Td>
            <Table.Td>{t(`common:service.${i.service}`)}</Table.Td>
            <Table.Td>
              <Badge variant="light">{t(`common:status.${i.status}`)}</Badge>
              {i.statusReason && (
                <Text size="xs" c="dimmed">
                  {i.statusReason}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{date(i.scheduledDate)}</Table.Td>
            <Table.Td>{i.labelId ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The label sheet of the items just received, and of every labelled item. */
function PrintLabels({ request, justReceived }: { request: RequestView; justReceived: string[] }) {
  const { t } = useTranslation('reception');
  const print = useMutation({ mutationFn: (ids?: string[]) => downloadLabels(request, ids) });
  return (
    <Stack gap="xs">
      <Group>
        {justReceived.length > 0 && (
          <Button loading={print.isPending} onClick={() => print.mutate(justReceived)}>
            {t('printLabels', { count: justReceived.length })}
          </Button>
        )}
        <Button variant="light" loading={print.isPending} onClick={() => print.mutate(undefined)}>
          {t('printAllLabels')}
        </Button>
      </Group>
      <ProblemAlert error={print.error} />
    </Stack>
  );
}

/** One request: its items (paged), the contract review and acceptance, batch scheduling and receipt, labels. */
export default function RequestPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('reception');
  const { requestId = '' } = useParams();
  const request = useRequest(requestId);
  const r = request.data;
  const paged = usePagedItems(r);
  const [justReceived, setJustReceived] = useState<string[]>([]);
  const edits = can(roles, 'admin', 'reception');
  const has = (status: ItemView['status']) => paged.items.some((i) => i.status === status);
  return (
    <QueryState loading={request.isLoading} error={request.error}>
      {r && (
        <Stack>
          <Group justify="space-between">
            <Title order={2}>
              {t('request')} {r.number} · {r.organization.name}
            </Title>
            <Badge size="lg">{t(`common:status.${r.status}`)}</Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {t('received')}: {date(r.createdAt)} · {t('itemCount', { count: r.itemCount })}
          </Text>
          {!edits && <Badge color="gray">{t('readOnly')}</Badge>}
          <ItemsTable items={paged.items} />
          <ProblemAlert error={paged.error} />
          <MoreButton hasMore={paged.hasMore} loading={paged.loading} onMore={paged.onMore} />
          {edits && has('submitted') && <ContractReview request={r} items={paged.items} />}
          {edits && has('accepted') && <SchedulePanel request={r} items={paged.items} />}
          {edits && has('scheduled') && <ReceivePanel request={r} items={paged.items} onReceived={setJustReceived} />}
          {edits && <AllItemsPanel request={r} loaded={paged.items} onReceived={setJustReceived} />}
          {edits && (paged.items.some((i) => i.labelId) || justReceived.length > 0) && (
            <PrintLabels request={r} justReceived={justReceived} />
          )}
        </Stack>
      )}
    </QueryState>
  );
}
