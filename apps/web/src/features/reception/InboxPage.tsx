import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { MoreButton, QueryState } from '../../ui/states';

type RequestStatus = components['schemas']['RequestSummaryView']['status'];
const FILTERS: (RequestStatus | 'all')[] = ['submitted', 'accepted', 'scheduled', 'in_progress', 'completed', 'all'];

/** The reception inbox: requests by status, new ones (submitted, mostly by businesses) first. */
export default function InboxPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('reception');
  const [status, setStatus] = useState<RequestStatus | 'all'>('submitted');
  const list = useInfiniteQuery({
    queryKey: ['requests', status],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/requests', {
          params: { query: { limit: 20, cursor: pageParam, ...(status === 'all' ? {} : { status }) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('inbox')}</Title>
        {can(roles, 'admin', 'reception') && (
          <Button component={Link} to={ROUTES.deskNew}>
            {t('walkIn.title')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        aria-label={t('statusFilter')}
        value={status}
        onChange={(v) => setStatus(v as RequestStatus | 'all')}
        data={FILTERS.map((f) => ({ value: f, label: f === 'all' ? t('all') : t(`common:status.${f}`) }))}
      />
      <QueryState loading={list.isLoading} error={list.error} empty={rows.length === 0}>
        <Table striped highlightOnHover aria-label={t('inbox')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('number')}</Table.Th>
              <Table.Th>{t('customer')}</Table.Th>
              <Table.Th>{t('items')}</Table.Th>
              <Table.Th>{t('received')}</Table.Th>
              <Table.Th>{t('status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.number}</Table.Td>
                <Table.Td>{r.organization.name}</Table.Td>
                <Table.Td>{r.itemCount}</Table.Td>
                <Table.Td>{date(r.createdAt)}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`common:status.${r.status}`)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={ROUTES.deskRequest(r.id)}
                    aria-label={`${t('open')} ${r.organization.name}`}
                  >
                    {t('open')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      <MoreButton
        hasMore={!!list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => void list.fetchNextPage()}
      />
    </Stack>
  );
}
