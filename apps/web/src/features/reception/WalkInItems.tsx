import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { fieldError, unwrap } from '../../ui/problem';
import { MoreButton, ProblemAlert } from '../../ui/states';
import { DECIMAL_FIELDS, newDraft, TECHNICAL, type ItemDraft, type Service } from './walk-in';

type InstrumentType = components['schemas']['InstrumentTypeView'];

export function useInstrumentTypes() {
  return useQuery({
    queryKey: ['instrument-types', 'active'],
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/instrument-types', { params: { query: { active: true, limit: 200 } } })),
  });
}

function useInstruments(ownerId: string) {
  return useInfiniteQuery({
    queryKey: ['instruments', 'owner', ownerId],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/instruments', { params: { query: { owner: ownerId, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

interface RowProps {
  n: number;
  draft: ItemDraft;
  set: (d: ItemDraft) => void;
  remove: () => void;
  types: InstrumentType[];
  instruments: components['schemas']['InstrumentView'][];
  error: unknown;
}

/** A new instrument's accuracy class, range and resolution (walk-in.ts TECHNICAL). */
function TechnicalFields({
  n,
  draft,
  set,
}: {
  n: number;
  draft: Extract<ItemDraft, { kind: 'new' }>;
  set: (d: ItemDraft) => void;
}) {
  const { t } = useTranslation('reception');
  return (
    <Group align="end">
      {TECHNICAL.map((key) => (
        <TextInput
          key={key}
          label={t(`walkIn.${key}`, { n })}
          value={draft[key]}
          w={key.endsWith('Unit') ? 110 : 140}
          inputMode={DECIMAL_FIELDS.has(key) ? 'decimal' : undefined}
          onChange={(e) => set({ ...draft, [key]: e.currentTarget.value })}
        />
      ))}
    </Group>
  );
}

function ItemRow({ n, draft, set, remove, types, instruments, error }: RowProps) {
  const { t } = useTranslation('reception');
  const typeId =
    draft.kind === 'new'
      ? draft.instrumentTypeId
      : instruments.find((i) => i.id === draft.instrumentId)?.instrumentType.id;
  const services = types.find((ty) => ty.id === typeId)?.services ?? [];
  const choose = (label: string) => ({ value: '', label });
  const text = (key: 'manufacturer' | 'model' | 'serialNumber') =>
    draft.kind === 'new' && (
      <TextInput
        label={t(`walkIn.${key}`, { n })}
        value={draft[key]}
        required={key !== 'model'}
        onChange={(e) => set({ ...draft, [key]: e.currentTarget.value })}
      />
    );
  return (
    <Stack gap={2}>
      <Group align="end">
        {draft.kind === 'registered' ? (
          <NativeSelect
            label={t('walkIn.instrument', { n })}
            value={draft.instrumentId}
            onChange={(e) => set({ ...draft, instrumentId: e.currentTarget.value, service: '' })}
            data={[
              choose(t('walkIn.chooseInstrument')),
              ...instruments.map((i) => ({
                value: i.id,
                label: `${i.instrumentType.code} · ${i.manufacturer} · ${i.serialNumber}`,
              })),
            ]}
          />
        ) : (
          <NativeSelect
            label={t('walkIn.type', { n })}
            value={draft.instrumentTypeId}
            onChange={(e) => set({ ...draft, instrumentTypeId: e.currentTarget.value, service: '' })}
            data={[
              choose(t('walkIn.chooseType')),
              ...types.map((ty) => ({
                value: ty.id,
                label: `${ty.code} · ${ty.nameVi}${ty.dataQuality === 'uncertain' ? ` (${t('walkIn.uncertain')})` : ''}`,
              })),
            ]}
          />
        )}
        {text('manufacturer')}
        {text('model')}
        {text('serialNumber')}
        <NativeSelect
          label={t('walkIn.service', { n })}
          value={draft.service}
          onChange={(e) => set({ ...draft, service: e.currentTarget.value as Service | '' })}
          data={[
            choose(t('walkIn.chooseService')),
            ...services.map((s) => ({ value: s, label: t(`common:service.${s}`) })),
          ]}
        />
        <Button variant="subtle" color="red" onClick={remove} aria-label={t('walkIn.remove', { n })}>
          ✕
        </Button>
      </Group>
      {draft.kind === 'new' && <TechnicalFields n={n} draft={draft} set={set} />}
      {fieldError(error, `items[${n - 1}]`) && (
        <Text size="sm" c="red">
          {fieldError(error, `items[${n - 1}]`)}
        </Text>
      )}
    </Stack>
  );
}

/** The instruments of a walk-in request: the customer's registered ones (paged) or new ones, a service each. */
export function WalkInItems(props: {
  ownerId: string;
  items: ItemDraft[];
  onChange: (i: ItemDraft[]) => void;
  error: unknown;
}) {
  const { t } = useTranslation('reception');
  const types = useInstrumentTypes();
  const instruments = useInstruments(props.ownerId);
  const owned = instruments.data?.pages.flatMap((p) => p.items) ?? [];
  const { items, onChange } = props;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('walkIn.items')}>
      <Stack>
        <Title order={3}>{t('walkIn.items')}</Title>
        <ProblemAlert error={types.error ?? instruments.error} />
        {items.length === 0 && <Text c="dimmed">{t('walkIn.noItems')}</Text>}
        {items.map((d, i) => (
          <ItemRow
            key={d.key}
            n={i + 1}
            draft={d}
            set={(next) => onChange(items.map((x) => (x.key === d.key ? next : x)))}
            remove={() => onChange(items.filter((x) => x.key !== d.key))}
            types={types.data?.items ?? []}
            instruments={owned}
            error={props.error}
          />
        ))}
        <MoreButton
          hasMore={!!instruments.hasNextPage}
          loading={instruments.isFetchingNextPage}
          onMore={() => void instruments.fetchNextPage()}
        />
        <Group>
          <Button
            variant="light"
            onClick={() => onChange([...items, newDraft('registered')])}
            disabled={owned.length === 0}
          >
            {t('walkIn.addRegistered')}
          </Button>
          <Button variant="light" onClick={() => onChange([...items, newDraft('new')])}>
            {t('walkIn.addNew')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
