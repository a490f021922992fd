import { Anchor, Badge, Stack, Switch, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { date, todayIso } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { MoreButton, QueryState } from '../../ui/states';

/** The technician's open work (scheduled, received, in progress) by date; "today" narrows it. */
export default function WorkListPage() {
  const { t } = useTranslation('worklist');
  const [todayOnly, setTodayOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['work'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/requests/items', { params: { query: { technician: 'me', limit: 25, cursor: pageParam } } }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const today = todayIso();
  const rows = (list.data?.pages.flatMap((p) => p.items) ?? []).filter((i) => !todayOnly || i.scheduledDate === today);
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Switch label={t('today')} checked={todayOnly} onChange={(e) => setTodayOnly(e.currentTarget.checked)} />
      <QueryState loading={list.isLoading} error={list.error} empty={rows.length === 0}>
        <Table striped aria-label={t('title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('date')}</Table.Th>
              <Table.Th>{t('customer')}</Table.Th>
              <Table.Th>{t('instrument')}</Table.Th>
              <Table.Th>{t('serial')}</Table.Th>
              <Table.Th>{t('service')}</Table.Th>
              <Table.Th>{t('status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{date(i.scheduledDate)}</Table.Td>
                <Table.Td>{i.organization.name}</Table.Td>
                <Table.Td>
                  {i.instrument?.typeCode ?? i.subjectKind} · {i.instrument?.manufacturer ?? ''}{' '}
                  {i.instrument?.model ?? ''}
                </Table.Td>
                <Table.Td>{i.instrument?.serialNumber ?? i.labelId ?? ''}</Table.Td>
                <Table.Td>{t(`common:service.${i.service}`)}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`common:status.${i.status}`)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={ROUTES.worksheet(i.requestId, i.id)}
                    aria-label={`${t('open')} ${i.instrument?.serialNumber ?? i.labelId ?? ''}`}
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
