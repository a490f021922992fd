import { Button, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import type { RequestView } from './RequestPage';

/** What the centre can do of the submitted items, what is missing for the others, and Accept. */
export function ContractReview({ request }: { request: RequestView }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const path = { params: { path: { id: request.id } } };
  const review = useQuery({
    queryKey: ['contract-review', request.id],
    queryFn: async () => unwrap(await api.GET('/requests/{id}/contract-review', path)),
  });
  const accept = useMutation({
    mutationFn: async () => unwrap(await api.POST('/requests/{id}/accept', path)),
    onSuccess: async (res) => {
      notifications.show({ message: t('accepted', { count: res.accepted, rejected: res.rejected.length }) });
      await client.invalidateQueries({ queryKey: ['request', request.id] });
      await client.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  const serial = (itemId: string) => request.items.find((i) => i.id === itemId)?.instrument?.serialNumber ?? itemId;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('review')}</Title>
        <QueryState loading={review.isLoading} error={review.error}>
          {review.data && (
            <>
              <Text size="sm">
                {date(review.data.date)} · {t('doable')}: {review.data.doable} · {t('missing')}: {review.data.cannotDo}
              </Text>
              <List size="sm" aria-label={t('review')}>
                {review.data.items.map((i) => (
                  <List.Item key={i.itemId}>
                    {serial(i.itemId)}: {i.doable ? t('doable') : i.findings.map((f) => f.message).join('; ')}
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </QueryState>
        <ProblemAlert error={accept.error} />
        <Button onClick={() => accept.mutate()} loading={accept.isPending} w="fit-content">
          {t('accept')}
        </Button>
      </Stack>
    </Paper>
  );
}
