import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import type { ItemView, RequestView } from './RequestPage';

interface Entry {
  labelId: string;
  condition: string;
}

/**
 * Receipt at the desk: the centre's label code (scanned or typed) and the condition, per scheduled
 * item; one batch call receives every item given a label (all or nothing; a refused one is named
 * beside its row). Then the label sheet of those items can be printed.
 */
export function ReceivePanel(props: { request: RequestView; items: ItemView[]; onReceived: (ids: string[]) => void }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const scheduled = props.items.filter((i) => i.status === 'scheduled');
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [condition, setCondition] = useState('');
  const entry = (id: string): Entry => entries[id] ?? { labelId: '', condition: '' };
  const set = (id: string, patch: Partial<Entry>) => setEntries((e) => ({ ...e, [id]: { ...entry(id), ...patch } }));
  const batch = scheduled
    .filter((i) => entry(i.id).labelId.trim() !== '')
    .map((i) => ({ itemId: i.id, labelId: entry(i.id).labelId.trim(), condition: entry(i.id).condition || condition }));
  const receive = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/requests/{id}/items/receive', {
          params: { path: { id: props.request.id } },
          body: { items: batch },
        }),
      ),
    onSuccess: async (res) => {
      notifications.show({ message: t('receivedMany', { count: res.items.length }) });
      setEntries({});
      props.onReceived(res.items.map((i) => i.itemId));
      await client.invalidateQueries({ queryKey: ['request', props.request.id] });
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={t('receive')}>
      <Stack>
        <Title order={3}>{t('receive')}</Title>
        <TextInput
          label={t('conditionAll')}
          w={420}
          value={condition}
          onChange={(e) => setCondition(e.currentTarget.value)}
        />
        {scheduled.map((item) => {
          const serial = item.instrument?.serialNumber ?? item.id;
          const index = batch.findIndex((b) => b.itemId === item.id);
          return (
            <Group key={item.id} align="end">
              <Text w={220} size="sm">
                {item.ordinal + 1}. {item.instrument?.typeCode ?? item.service} · {serial}
              </Text>
              <TextInput
                label={t('label', { serial })}
                value={entry(item.id).labelId}
                error={index >= 0 ? fieldError(receive.error, `items[${index}]`) : undefined}
                onChange={(e) => set(item.id, { labelId: e.currentTarget.value })}
              />
              <TextInput
                label={t('condition', { serial })}
                placeholder={condition}
                value={entry(item.id).condition}
                onChange={(e) => set(item.id, { condition: e.currentTarget.value })}
              />
            </Group>
          );
        })}
        <ProblemAlert error={receive.error} />
        <Button
          w="fit-content"
          onClick={() => receive.mutate()}
          loading={receive.isPending}
          disabled={batch.length === 0}
        >
          {t('receiveMany', { count: batch.length })}
        </Button>
      </Stack>
    </Paper>
  );
}
