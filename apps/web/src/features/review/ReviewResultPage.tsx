import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { can, type StaffRole } from '../../app/session';
import { downloadCertificate } from '../../ui/download';
import { unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { ResultDetails, RevisionDiff, type ResultView } from './ResultDetails';

function useResult(id: string) {
  const result = useQuery({
    queryKey: ['result', 'review', id],
    queryFn: async () => unwrap(await api.GET('/results/{id}', { params: { path: { id } } })),
  });
  const n = (result.data?.currentRevision ?? 1) - 1;
  const previous = useQuery({
    queryKey: ['revision', id, n],
    enabled: n >= 1,
    queryFn: async () => unwrap(await api.GET('/results/{id}/revisions/{n}', { params: { path: { id, n } } })),
  });
  const revisions = useQuery({
    queryKey: ['revisions', id],
    queryFn: async () => unwrap(await api.GET('/results/{id}/revisions', { params: { path: { id } } })),
  });
  return { result, previous, revisions };
}

/** Approve, or return with a reason. Not offered to anyone who recorded a revision (no self-approval). */
function ReviewActions({ result }: { result: ResultView }) {
  const { t } = useTranslation('review');
  const client = useQueryClient();
  const [comment, setComment] = useState('');
  const path = { params: { path: { id: result.id } } };
  const revision = result.currentRevision;
  const refresh = () => client.invalidateQueries({ queryKey: ['result', 'review', result.id] });
  const approve = useMutation({
    mutationFn: async () => unwrap(await api.POST('/results/{id}/approve', { ...path, body: { revision } })),
    onSuccess: async () => (notifications.show({ message: t('approved') }), refresh()),
  });
  const ret = useMutation({
    mutationFn: async () => unwrap(await api.POST('/results/{id}/return', { ...path, body: { revision, comment } })),
    onSuccess: async () => (notifications.show({ message: t('returned') }), refresh()),
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group>
          <Button onClick={() => approve.mutate()} loading={approve.isPending}>
            {t('approve')}
          </Button>
        </Group>
        <Textarea label={t('comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        <Button
          variant="light"
          color="orange"
          w="fit-content"
          disabled={!comment.trim()}
          onClick={() => ret.mutate()}
          loading={ret.isPending}
        >
          {t('returnTo')}
        </Button>
        <ProblemAlert error={approve.error ?? ret.error} />
      </Stack>
    </Paper>
  );
}

/** Queued or running (or not yet asked for, just after approval): worth asking again in a second. */
function stillIssuing(status: string | undefined): boolean {
  return status === 'queued' || status === 'running' || status === 'not_requested';
}

/** After approval the queue issues the certificate: polled until issued (or failed), then downloadable. */
function CertificateState({ revisionId }: { revisionId: string }) {
  const { t } = useTranslation('review');
  const issue = useQuery({
    queryKey: ['issue', revisionId],
    queryFn: async () =>
      unwrap(
        await api.GET('/certificate-issues/{resultRevisionId}', { params: { path: { resultRevisionId: revisionId } } }),
      ),
    refetchInterval: (q) => (stillIssuing(q.state.data?.status) ? 1000 : false),
  });
  const cert = issue.data?.certificate;
  return (
    <Paper withBorder p="md" aria-label={t('certificate')}>
      <QueryState loading={issue.isLoading} error={issue.error}>
        {(issue.data?.status === 'queued' || issue.data?.status === 'running') && <Text>{t('issuing')}</Text>}
        {issue.data?.status === 'failed' && (
          <Alert color="red">{t('issueFailed', { reason: issue.data.job?.failedReason ?? '' })}</Alert>
        )}
        {cert && (
          <Button onClick={() => void downloadCertificate(cert.id, cert.number)}>
            {t('download', { number: cert.number })}
          </Button>
        )}
      </QueryState>
    </Paper>
  );
}

export default function ReviewResultPage({ roles, userId }: { roles: StaffRole[]; userId: string }) {
  const { t } = useTranslation('review');
  const { resultId = '' } = useParams();
  const { result, previous, revisions } = useResult(resultId);
  const r = result.data;
  const recordedByMe = (revisions.data ?? []).some((v) => v.performedBy.id === userId);
  return (
    <QueryState loading={result.isLoading} error={result.error}>
      {r && (
        <Stack>
          <ResultDetails result={r} />
          {previous.data && <RevisionDiff previous={previous.data} current={r.revision} />}
          {r.status === 'submitted' && can(roles, 'reviewer') && !recordedByMe && <ReviewActions result={r} />}
          {r.status === 'submitted' && recordedByMe && <Alert color="yellow">{t('selfApproval')}</Alert>}
          {r.status === 'approved' && <CertificateState revisionId={r.revision.id} />}
        </Stack>
      )}
    </QueryState>
  );
}
