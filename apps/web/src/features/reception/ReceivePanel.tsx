import { Button, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import type { ItemView, RequestView } from './RequestPage';

function ReceiveRow({ request, item }: { request: RequestView; item: ItemView }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const serial = item.instrument?.serialNumber ?? item.id;
  const [labelId, setLabelId] = useState('');
  const [condition, setCondition] = useState('');
  const receive = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/requests/{id}/items/{itemId}/receive', {
          params: { path: { id: request.id, itemId: item.id } },
          body: { labelId, condition },
        }),
      ),
    onSuccess: async () => {
      notifications.show({ message: t('receivedOne', { serial }) });
      await client.invalidateQueries({ queryKey: ['request', request.id] });
    },
  });
  return (
    <Stack gap={4}>
      <Group align="end">
        <TextInput label={t('label', { serial })} value={labelId} onChange={(e) => setLabelId(e.currentTarget.value)} />
        <TextInput
          label={t('condition', { serial })}
          value={condition}
          onChange={(e) => setCondition(e.currentTarget.value)}
        />
        <Button onClick={() => receive.mutate()} loading={receive.isPending} aria-label={`${t('receive')} ${serial}`}>
          {t('receive')}
        </Button>
      </Group>
      <ProblemAlert error={receive.error} />
    </Stack>
  );
}

/** Receipt at the desk: the centre's label and the condition, per scheduled item. */
export function ReceivePanel({ request }: { request: RequestView }) {
  const { t } = useTranslation('reception');
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('receive')}</Title>
        {request.items
          .filter((i) => i.status === 'scheduled')
          .map((i) => (
            <ReceiveRow key={i.id} request={request} item={i} />
          ))}
      </Stack>
    </Paper>
  );
}
