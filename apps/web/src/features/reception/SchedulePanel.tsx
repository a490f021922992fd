import { Button, Group, NativeSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { todayIso } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import type { RequestView } from './RequestPage';

/** Every accepted item to one technician on one date (one call per item: no batch endpoint yet). */
export function SchedulePanel({ request }: { request: RequestView }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const [technicianId, setTechnicianId] = useState('');
  const [day, setDay] = useState(todayIso());
  const technicians = useQuery({
    queryKey: ['users', 'technician'],
    queryFn: async () => unwrap(await api.GET('/users', { params: { query: { role: 'technician', limit: 100 } } })),
  });
  const accepted = request.items.filter((i) => i.status === 'accepted');
  const schedule = useMutation({
    mutationFn: async () => {
      for (const item of accepted) {
        unwrap(
          await api.POST('/requests/{id}/items/{itemId}/schedule', {
            params: { path: { id: request.id, itemId: item.id } },
            body: { technicianId, date: day },
          }),
        );
      }
    },
    onSuccess: () => notifications.show({ message: t('scheduled', { count: accepted.length }) }),
    onSettled: () => client.invalidateQueries({ queryKey: ['request', request.id] }),
  });
  const options = [
    { value: '', label: t('chooseTechnician') },
    ...(technicians.data?.items ?? []).map((u) => ({ value: u.id, label: u.fullName || u.username })),
  ];
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('scheduleTitle')}</Title>
        <Group align="end">
          <NativeSelect
            label={t('technician')}
            data={options}
            value={technicianId}
            onChange={(e) => setTechnicianId(e.currentTarget.value)}
          />
          <TextInput type="date" label={t('date')} value={day} onChange={(e) => setDay(e.currentTarget.value)} />
          <Button onClick={() => schedule.mutate()} loading={schedule.isPending} disabled={!technicianId}>
            {t('schedule')}
          </Button>
        </Group>
        <ProblemAlert error={schedule.error} />
      </Stack>
    </Paper>
  );
}
