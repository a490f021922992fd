import { Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { date, decimal } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import type { ItemView, RequestView } from './RequestPage';

type Review = NonNullable<ReturnType<typeof useReview>['data']>['items'][number];
type Finding = Review['findings'][number];

/** A finding in the active language, from its code and values (the API's `message` is English). */
function useFindingText(): (f: Finding) => string {
  const { t } = useTranslation('reception');
  return (f) =>
    t(`finding.${f.code}`, {
      typeCode: f.typeCode,
      service: f.service && t(`common:service.${f.service}`).toLowerCase(),
      quantity: f.quantity,
      rangeMax: f.rangeMax && decimal(f.rangeMax),
      unit: f.unit,
      date: f.date && date(f.date),
      standards: (f.standards ?? [])
        .map((s) => `${s.code} (${s.reasons.map((r) => t(`common:standardReason.${r}`)).join(', ')})`)
        .join('; '),
    });
}

function useReview(id: string) {
  return useQuery({
    queryKey: ['request', id, 'contract-review'],
    queryFn: async () => unwrap(await api.GET('/requests/{id}/contract-review', { params: { path: { id } } })),
  });
}

/** One submitted item: what the review found, and reception's own refusal with its reason. */
function ReviewRow(props: {
  review: Review;
  name: string;
  reason: string | undefined;
  setReason: (reason: string | undefined) => void;
}) {
  const { t } = useTranslation('reception');
  const findingText = useFindingText();
  const { review, name, reason } = props;
  return (
    <Table.Tr>
      <Table.Td>{name}</Table.Td>
      <Table.Td>{review.doable ? t('doable') : review.findings.map(findingText).join('; ')}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Checkbox
            label={t('refuse')}
            aria-label={t('refuseItem', { name })}
            checked={reason !== undefined}
            onChange={(e) => props.setReason(e.currentTarget.checked ? '' : undefined)}
          />
          {reason !== undefined && (
            <TextInput
              aria-label={t('refuseReason', { name })}
              placeholder={t('reason')}
              value={reason}
              onChange={(e) => props.setReason(e.currentTarget.value)}
              required
            />
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * What the centre can do of the submitted items and what is missing for the others; reception may
 * refuse items itself, each with a reason; Accept sends it all in one call (the API accepts the
 * doable rest and rejects the others with their reasons).
 */
export function ContractReview({ request, items }: { request: RequestView; items: ItemView[] }) {
  const { t } = useTranslation('reception');
  const client = useQueryClient();
  const review = useReview(request.id);
  const [refused, setRefused] = useState<Record<string, string>>({});
  const accept = useMutation({
    mutationFn: async () => {
      const refuse = Object.entries(refused).map(([itemId, reason]) => ({ itemId, reason }));
      return unwrap(
        await api.POST('/requests/{id}/accept', { params: { path: { id: request.id } }, body: { refuse } }),
      );
    },
    onSuccess: async (res) => {
      const rejected = res.rejected.length + res.refused.length;
      notifications.show({ message: t('accepted', { count: res.accepted, rejected }) });
      setRefused({});
      await client.invalidateQueries({ queryKey: ['request', request.id] });
      await client.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  const nameOf = (r: Review) => {
    const item = items.find((i) => i.id === r.itemId);
    return item?.instrument?.serialNumber ?? `#${r.ordinal + 1}`;
  };
  const setReason = (itemId: string) => (reason: string | undefined) =>
    setRefused((all) => {
      const next = { ...all };
      if (reason === undefined) delete next[itemId];
      else next[itemId] = reason;
      return next;
    });
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
              <Table aria-label={t('review')}>
                <Table.Tbody>
                  {review.data.items.map((r) => (
                    <ReviewRow
                      key={r.itemId}
                      review={r}
                      name={nameOf(r)}
                      reason={refused[r.itemId]}
                      setReason={setReason(r.itemId)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
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
