import { Button, Paper, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';

/** Certificates the queue gave up on, with the reason, and a retry once the data is fixed (admin). */
export function FailedIssues() {
  const { t } = useTranslation('certificates');
  const client = useQueryClient();
  const failed = useQuery({
    queryKey: ['certificate-issues', 'failed'],
    queryFn: async () =>
      unwrap(await api.GET('/certificate-issues', { params: { query: { status: 'failed', limit: 20 } } })),
  });
  const retry = useMutation({
    mutationFn: async (resultRevisionId: string) =>
      unwrap(
        await api.POST('/certificate-issues/{resultRevisionId}/retry', { params: { path: { resultRevisionId } } }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ['certificate-issues'] }),
  });
  const rows = failed.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={4}>{t('failed')}</Title>
        <QueryState loading={failed.isLoading} error={failed.error} empty={rows.length === 0}>
          <Table aria-label={t('failed')}>
            <Table.Tbody>
              {rows.map((f) => (
                <Table.Tr key={f.resultRevisionId}>
                  <Table.Td>{date(f.failedAt)}</Table.Td>
                  <Table.Td>{f.failedReason}</Table.Td>
                  <Table.Td>
                    <Button size="xs" onClick={() => retry.mutate(f.resultRevisionId)} loading={retry.isPending}>
                      {t('retry')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </QueryState>
        <ProblemAlert error={retry.error} />
      </Stack>
    </Paper>
  );
}
