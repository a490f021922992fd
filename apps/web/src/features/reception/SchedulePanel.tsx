import { Button, Group, NativeSelect, Paper, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DateField } from '../../ui/DateField';
import { todayIso } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import { ItemChecklist } from './ItemChecklist';
import type { ItemView, RequestView } from './RequestPage';

/** The technicians a batch may be scheduled to (the first 100). */
export function useTechnicians() {
  return useQuery({
    queryKey: ['users', 'technician'],
    queryFn: async () => unwrap(await api.GET('/users', { params: { query: { role: 'technician', limit: 100 } } })),
  });
}

/** The chosen accepted items to one technician on one date: one batch call (all or nothing). */
export function SchedulePanel({ request, items }: { request: RequestView; items: ItemView[] }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const accepted = items.filter((i) => i.status === 'accepted');
  const [selected, setSelected] = useState(() => new Set(accepted.map((i) => i.id)));
  const [technicianId, setTechnicianId] = useState('');
  const [day, setDay] = useState(todayIso());
  const technicians = useTechnicians();
  const chosen = accepted.filter((i) => selected.has(i.id));
  const schedule = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/requests/{id}/items/schedule', {
          params: { path: { id: request.id } },
          body: { items: chosen.map((i) => ({ itemId: i.id, technicianId, date: day })) },
        }),
      ),
    onSuccess: (res) => notifications.show({ message: t('scheduled', { count: res.items.length }) }),
    onSettled: () => client.invalidateQueries({ queryKey: ['request', request.id] }),
  });
  const options = [
    { value: '', label: t('chooseTechnician') },
    ...(technicians.data?.items ?? []).map((u) => ({ value: u.id, label: u.fullName || u.username })),
  ];
  return (
    <Paper withBorder p="md" component="section" aria-label={t('scheduleTitle')}>
      <Stack>
        <Title order={3}>{t('scheduleTitle')}</Title>
        <ItemChecklist items={accepted} selected={selected} onChange={setSelected} />
        <Group align="end">
          <NativeSelect
            label={t('technician')}
            data={options}
            value={technicianId}
            onChange={(e) => setTechnicianId(e.currentTarget.value)}
          />
          <DateField label={t('date')} value={day} onChange={setDay} />
          <Button
            onClick={() => schedule.mutate()}
            loading={schedule.isPending}
            disabled={!technicianId || !day || chosen.length === 0}
          >
            {t('schedule')}
          </Button>
        </Group>
        <ProblemAlert error={schedule.error} />
      </Stack>
    </Paper>
  );
}
