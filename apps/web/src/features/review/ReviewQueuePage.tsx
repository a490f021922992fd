import { Anchor, Stack, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { MoreButton, QueryState } from '../../ui/states';

/** GET /results?status=submitted: the reviewer's queue. */
export default function ReviewQueuePage() {
  const { t } = useTranslation('review');
  const list = useInfiniteQuery({
    queryKey: ['results', 'submitted'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/results', { params: { query: { status: 'submitted', limit: 25, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t('queue')}</Title>
      <QueryState loading={list.isLoading} error={list.error} empty={rows.length === 0}>
        <Table striped aria-label={t('queue')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('submittedOn')}</Table.Th>
              <Table.Th>{t('service')}</Table.Th>
              <Table.Th>{t('revision')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{date(r.createdAt)}</Table.Td>
                <Table.Td>{t(`common:service.${r.service}`)}</Table.Td>
                <Table.Td>{r.currentRevision}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={ROUTES.reviewResult(r.id)}>
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
