import {
  Alert,
  getTreeExpandedState,
  Group,
  Stack,
  Text,
  Title,
  Tree,
  useTree,
  type TreeNodeData,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { date } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { QueryState } from '../../ui/states';

type Traceability = components['schemas']['TraceabilityView'];
type Link = Traceability['links'][number];

function endLabel(t: TFunction, end: Traceability['end']): string {
  if (!end) return t('noEnd');
  const name =
    end.kind === 'standard' && end.standard ? `${end.standard.code} · ${end.standard.name}` : (end.name ?? '—');
  return t(`ends.${end.kind}`, { name });
}

function linkLabel(t: TFunction, l: Link): string {
  const head = t('link', { code: l.standard.code, name: l.standard.name });
  const c = l.certificate;
  const cert = c
    ? t('linkCert', {
        number: c.certificateNumber,
        lab: c.issuingLab,
        date: date(c.calibrationDate),
        due: date(c.dueDate),
      })
    : t('noCertificate', { date: date(l.evaluatedAt) });
  return `${head} — ${cert} — ${t(l.valid ? 'valid' : 'invalid')}`;
}

/**
 * The chain drawn top-down: where it leaves the centre (the national standard, an accredited lab) at
 * the root, each calibrated standard below the one it was calibrated against, this standard last.
 */
function chainTree(t: TFunction, trace: Traceability): TreeNodeData[] {
  let node: TreeNodeData | undefined;
  for (const [i, l] of trace.links.entries())
    node = { value: `link-${i}`, label: linkLabel(t, l), children: node ? [node] : undefined };
  return [{ value: 'end', label: endLabel(t, trace.end), children: node ? [node] : undefined }];
}

function ChainTree({ data, label }: { data: TreeNodeData[]; label: string }) {
  const tree = useTree({ initialExpandedState: getTreeExpandedState(data, '*') });
  return (
    <Tree
      data={data}
      tree={tree}
      aria-label={label}
      levelOffset="lg"
      withLines
      renderNode={({ node, elementProps }) => (
        <Group gap={4} {...elementProps} wrap="nowrap">
          <Text size="sm">{node.label}</Text>
        </Group>
      )}
    />
  );
}

/** GET /standards/:id/traceability today, as an accessible tree (role tree, one treeitem per link). */
export function TraceabilityChain({ standardId }: { standardId: string }) {
  const { t } = useTranslation('standards');
  const trace = useQuery({
    queryKey: ['traceability', standardId],
    queryFn: async () =>
      unwrap(await api.GET('/standards/{id}/traceability', { params: { path: { id: standardId } } })),
  });
  const tr = trace.data;
  return (
    <Stack gap="xs">
      <Title order={3}>{t('chain')}</Title>
      <QueryState loading={trace.isLoading} error={trace.error}>
        {tr && (
          <>
            <Alert
              color={tr.valid ? 'teal' : 'red'}
              role="status"
              title={tr.valid ? t('chainOk', { end: endLabel(t, tr.end) }) : t('chainBroken')}
            />
            <ChainTree data={chainTree(t, tr)} label={t('chain')} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
