import { Button, Group, NativeSelect, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DateField } from '../../ui/DateField';
import { todayIso } from '../../ui/format';
import { registerBundle } from '../../i18n';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import type { ItemView, RequestView } from './RequestPage';
import { useTechnicians } from './SchedulePanel';
import { labelSequence, slices } from './sequence';

/** The batch routes take at most this many items a call; the items route gives at most 200 a page. */
const BATCH = 500;
const PAGE = 200;

interface Done {
  step: 'reading' | 'sending';
  done: number;
  total: number;
}

/** Every item of the request in this status, read page by page (GET /requests/{id}/items). */
async function itemsIn(request: RequestView, status: ItemView['status'], progress: (d: Done) => void) {
  const found: ItemView[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = unwrap(
      await api.GET('/requests/{id}/items', { params: { path: { id: request.id }, query: { limit: PAGE, cursor } } }),
    );
    found.push(...page.items.filter((i) => i.status === status));
    read += page.items.length;
    progress({ step: 'reading', done: read, total: request.itemCount });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Sends the entries BATCH at a time; each call is all-or-nothing, so a refusal stops at that slice. */
async function inBatches<T>(entries: T[], send: (slice: T[]) => Promise<unknown>, progress: (d: Done) => void) {
  let done = 0;
  for (const slice of slices(entries, BATCH)) {
    await send(slice);
    done += slice.length;
    progress({ step: 'sending', done, total: entries.length });
  }
  return done;
}

function ProgressLine({ done, label }: { done: Done | null; label: string }) {
  const { t } = useTranslation('receptionAll');
  if (!done) return null;
  const value = done.total > 0 ? (100 * done.done) / done.total : 100;
  return (
    <Stack gap={2}>
      <Progress value={value} aria-label={label} />
      <Text size="sm" role="status">
        {t(`progress.${done.step}`, { done: done.done, total: done.total })}
      </Text>
    </Stack>
  );
}

function useAllAction(request: RequestView, run: (progress: (d: Done) => void) => Promise<number>, message: string) {
  const client = useQueryClient();
  const [done, setDone] = useState<Done | null>(null);
  const action = useMutation({
    mutationFn: () => run(setDone),
    onSuccess: (count) => notifications.show({ message: `${message} (${count})` }),
    onSettled: () => client.invalidateQueries({ queryKey: ['request', request.id] }),
  });
  return { action, done };
}

/** Every accepted item of the request, loaded or not, to one technician on one date. */
function ScheduleAll({ request, count }: { request: RequestView; count: number }) {
  const { t } = useTranslation('receptionAll');
  const technicians = useTechnicians();
  const [technicianId, setTechnicianId] = useState('');
  const [day, setDay] = useState(todayIso());
  const { action, done } = useAllAction(
    request,
    async (progress) => {
      const items = await itemsIn(request, 'accepted', progress);
      const body = items.map((i) => ({ itemId: i.id, technicianId, date: day }));
      return inBatches(
        body,
        async (slice) =>
          unwrap(
            await api.POST('/requests/{id}/items/schedule', {
              params: { path: { id: request.id } },
              body: { items: slice },
            }),
          ),
        progress,
      );
    },
    t('scheduledAll'),
  );
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('scheduleAll', { count })}</Text>
      <Group align="end">
        <NativeSelect
          label={t('technician')}
          value={technicianId}
          onChange={(e) => setTechnicianId(e.currentTarget.value)}
          data={[
            { value: '', label: t('chooseTechnician') },
            ...(technicians.data?.items ?? []).map((u) => ({ value: u.id, label: u.fullName || u.username })),
          ]}
        />
        <DateField label={t('date')} value={day} onChange={setDay} />
        <Button onClick={() => action.mutate()} loading={action.isPending} disabled={!technicianId || !day}>
          {t('scheduleAllButton', { count })}
        </Button>
      </Group>
      <ProgressLine done={done} label={t('scheduleAll', { count })} />
      <ProblemAlert error={action.error} />
    </Stack>
  );
}

/** Every scheduled item received, labels numbered on from the first code (as the roll is), one condition. */
function ReceiveAll(props: { request: RequestView; count: number; onReceived: (ids: string[]) => void }) {
  const { t } = useTranslation('receptionAll');
  const [first, setFirst] = useState('');
  const [condition, setCondition] = useState('');
  const labels = labelSequence(first, props.count);
  const { action, done } = useAllAction(
    props.request,
    async (progress) => {
      const items = await itemsIn(props.request, 'scheduled', progress);
      const codes = labelSequence(first, items.length) ?? [];
      const body = items.map((i, n) => ({ itemId: i.id, labelId: codes[n]!, condition: condition.trim() }));
      const count = await inBatches(
        body,
        async (slice) =>
          unwrap(
            await api.POST('/requests/{id}/items/receive', {
              params: { path: { id: props.request.id } },
              body: { items: slice },
            }),
          ),
        progress,
      );
      props.onReceived(items.map((i) => i.id));
      return count;
    },
    t('receivedAll'),
  );
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('receiveAll', { count: props.count })}</Text>
      <Group align="start">
        <TextInput
          label={t('firstLabel')}
          value={first}
          error={first.trim() && !labels ? t('firstLabelNoNumber') : undefined}
          description={
            labels && labels.length > 0 ? t('labelRange', { first: labels[0], last: labels.at(-1) }) : undefined
          }
          onChange={(e) => setFirst(e.currentTarget.value)}
        />
        <TextInput
          label={t('condition')}
          w={360}
          value={condition}
          onChange={(e) => setCondition(e.currentTarget.value)}
        />
      </Group>
      <Button
        w="fit-content"
        onClick={() => action.mutate()}
        loading={action.isPending}
        disabled={!labels || !condition.trim()}
      >
        {t('receiveAllButton', { count: props.count })}
      </Button>
      <ProgressLine done={done} label={t('receiveAll', { count: props.count })} />
      <ProblemAlert error={action.error} />
    </Stack>
  );
}

/**
 * When a request has more accepted or scheduled items than the page loaded, the batch actions on all
 * of them: the items are read page by page and sent 500 a call, with a progress bar. Each call is
 * all or nothing; a refused call stops there and names what was refused (the slices before it stay done).
 */
export function AllItemsPanel(props: {
  request: RequestView;
  loaded: ItemView[];
  onReceived: (ids: string[]) => void;
}) {
  const { t } = useTranslation('receptionAll');
  const counts = props.request.itemStatusCounts;
  const loaded = (s: ItemView['status']) => props.loaded.filter((i) => i.status === s).length;
  const accepted = counts.accepted ?? 0;
  const scheduled = counts.scheduled ?? 0;
  const moreAccepted = accepted > loaded('accepted');
  const moreScheduled = scheduled > loaded('scheduled');
  if (!moreAccepted && !moreScheduled) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('title')}>
      <Stack>
        <Title order={3}>{t('title')}</Title>
        <Text size="sm">{t('hint', { count: props.request.itemCount, loaded: props.loaded.length })}</Text>
        {moreAccepted && <ScheduleAll request={props.request} count={accepted} />}
        {moreScheduled && <ReceiveAll request={props.request} count={scheduled} onReceived={props.onReceived} />}
      </Stack>
    </Paper>
  );
}

const vi = {
  title: 'Thao tác trên tất cả thiết bị của yêu cầu',
  hint: 'Yêu cầu có {{count}} thiết bị, trang này mới tải {{loaded}}. Các thao tác dưới đây áp dụng cho mọi thiết bị ở trạng thái tương ứng, kể cả chưa tải; gửi từng đợt 500 thiết bị, mỗi đợt hoặc thành công hết hoặc không thay đổi gì.',
  scheduleAll: 'Lên lịch tất cả {{count}} thiết bị đã nhận hợp đồng',
  scheduleAllButton: 'Lên lịch tất cả {{count}} thiết bị',
  scheduledAll: 'Đã lên lịch',
  technician: 'Kỹ thuật viên (tất cả thiết bị)',
  chooseTechnician: 'Chọn kỹ thuật viên',
  date: 'Ngày thực hiện (tất cả thiết bị)',
  receiveAll: 'Nhận tất cả {{count}} thiết bị đã lên lịch',
  receiveAllButton: 'Nhận tất cả {{count}} thiết bị',
  receivedAll: 'Đã nhận thiết bị',
  firstLabel: 'Mã tem đầu tiên (các tem sau đánh số tiếp)',
  firstLabelNoNumber: 'Mã tem phải kết thúc bằng số để đánh số tiếp',
  labelRange: 'Tem từ {{first}} đến {{last}}',
  condition: 'Tình trạng khi nhận (chung cho tất cả)',
  progress: {
    reading: 'Đang đọc danh sách thiết bị: {{done}}/{{total}}',
    sending: 'Đã xử lý {{done}}/{{total}} thiết bị',
  },
};
registerBundle('receptionAll', {
  vi,
  en: {
    title: 'Actions on every item of the request',
    hint: 'The request has {{count}} items and this page has loaded {{loaded}}. These actions take every item in the matching status, loaded or not; they are sent 500 at a time, each call all or nothing.',
    scheduleAll: 'Schedule all {{count}} accepted items',
    scheduleAllButton: 'Schedule all {{count}} items',
    scheduledAll: 'Scheduled',
    technician: 'Technician (every item)',
    chooseTechnician: 'Choose a technician',
    date: 'Date (every item)',
    receiveAll: 'Receive all {{count}} scheduled items',
    receiveAllButton: 'Receive all {{count}} items',
    receivedAll: 'Received',
    firstLabel: 'First label code (the next ones numbered on)',
    firstLabelNoNumber: 'The label code must end in a number to be numbered on',
    labelRange: 'Labels {{first}} to {{last}}',
    condition: 'Condition on receipt (every item)',
    progress: {
      reading: 'Reading the items: {{done}}/{{total}}',
      sending: '{{done}}/{{total}} items done',
    },
  } satisfies typeof vi,
});
