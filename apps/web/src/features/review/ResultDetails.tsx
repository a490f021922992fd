import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { date, decimal, significant } from '../../ui/format';

export type ResultView = components['schemas']['ResultView'];
export type RevisionView = components['schemas']['RevisionView'];

function Budget({ point }: { point: RevisionView['points'][number] }) {
  const { t } = useTranslation('review');
  return (
    <Text size="xs" c="dimmed">
      {t('budget')}:{' '}
      {point.budget.contributions.map((c) => `${c.name} ${significant(c.standardUncertainty)}`).join(' · ')}
    </Text>
  );
}

/** The revision under review: who, when, where, the standards, and every point with its budget. */
export function ResultDetails({ result }: { result: ResultView }) {
  const { t } = useTranslation('review');
  const r = result.revision;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group>
          <Title order={3}>
            {result.instrument.typeName} · {result.instrument.serialNumber}
          </Title>
          {r.overallOutcome && <Badge size="lg">{t(`common:outcome.${r.overallOutcome}`)}</Badge>}
        </Group>
        <Text size="sm">
          {t('customer')}: {result.customer.name} · {t('performedBy')}: {r.performedBy.name} · {t('measuredOn')}:{' '}
          {date(r.measuredOn)} · {t('environment')}: {decimal(r.environment.temperature)} °C
        </Text>
        <Text size="sm">
          {t('standards')}:{' '}
          {r.standards.map((s) => `${s.code} (${s.certificateNumber}, ${date(s.dueDate)})`).join(', ')}
        </Text>
        <Table aria-label={t('points')}>
          <Table.Thead>
            <Table.Tr>
              {['#', t('reference'), t('readings'), t('error'), 'U', 'k', 'MPE', 'U/MPE', t('decision')].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.points.map((p) => (
              <Table.Tr key={p.ordinal}>
                <Table.Td>{p.ordinal}</Table.Td>
                <Table.Td>{decimal(p.referenceValue)}</Table.Td>
                <Table.Td>
                  {p.readings.map(decimal).join('; ')}
                  <Budget point={p} />
                </Table.Td>
                <Table.Td>{decimal(p.roundedError)}</Table.Td>
                <Table.Td>{decimal(p.roundedExpandedUncertainty)}</Table.Td>
                <Table.Td>{significant(p.coverageFactor)}</Table.Td>
                <Table.Td>{significant(p.mpe, 4)}</Table.Td>
                <Table.Td>{significant(p.capabilityRatio)}</Table.Td>
                <Table.Td>{p.decision ? t(`common:outcome.${p.decision}`) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** What changed since the previous revision: environment, date, references and readings per point. */
export function RevisionDiff({ previous, current }: { previous: RevisionView; current: RevisionView }) {
  const { t } = useTranslation('review');
  const changes: string[] = [];
  if (previous.measuredOn !== current.measuredOn)
    changes.push(`${t('measuredOn')}: ${date(previous.measuredOn)} → ${date(current.measuredOn)}`);
  for (const k of ['temperature', 'humidity', 'pressure'] as const) {
    if (previous.environment[k] !== current.environment[k])
      changes.push(`${k}: ${decimal(previous.environment[k])} → ${decimal(current.environment[k])}`);
  }
  current.points.forEach((p, i) => {
    const before = previous.points[i];
    if (!before || before.referenceValue !== p.referenceValue || before.readings.join() !== p.readings.join())
      changes.push(
        `#${p.ordinal}: ${before ? before.readings.map(decimal).join('; ') : '—'} → ${p.readings.map(decimal).join('; ')}`,
      );
  });
  return (
    <Paper withBorder p="md" aria-label={t('changes', { n: previous.revision })}>
      <Title order={4}>{t('changes', { n: previous.revision })}</Title>
      {current.reason && <Text size="sm">{current.reason}</Text>}
      {changes.length === 0 ? (
        <Text c="dimmed">{t('noChanges')}</Text>
      ) : (
        changes.map((c) => (
          <Text key={c} size="sm">
            {c}
          </Text>
        ))
      )}
    </Paper>
  );
}
