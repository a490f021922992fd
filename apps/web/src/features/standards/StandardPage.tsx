import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { DueBadge } from '../../ui/due';
import { date, decimal } from '../../ui/format';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { QueryState } from '../../ui/states';
import './i18n';
import { TraceabilityChain } from './TraceabilityTree';
import { CalibrationForm } from './CalibrationForm';
import { CertificateFile } from './CertificateFile';
import { StandardForm } from './StandardForm';

type Standard = components['schemas']['StandardView'];

function Usable({ id }: { id: string }) {
  const { t } = useTranslation('standards');
  const status = useQuery({
    queryKey: ['standard-status', id],
    queryFn: async () => unwrap(await api.GET('/standards/{id}/status', { params: { path: { id } } })),
  });
  const s = status.data;
  return (
    <QueryState loading={status.isLoading} error={status.error}>
      {s && (
        <Alert
          color={s.usable ? 'teal' : 'red'}
          role="status"
          title={
            s.usable
              ? t('usableToday')
              : t('notUsable', { reasons: s.reasons.map((r) => t(`common:standardReason.${r}`)).join(', ') })
          }
        />
      )}
    </QueryState>
  );
}

function Calibrations({ id, editor }: { id: string; editor: boolean }) {
  const { t } = useTranslation('standards');
  const pages = usePages(['standard-calibrations', id], async (cursor) =>
    unwrap(await api.GET('/standards/{id}/calibrations', { params: { path: { id }, query: { limit: 20, cursor } } })),
  );
  return (
    <Stack gap="xs">
      <Title order={3}>{t('calibrations')}</Title>
      <Paged pages={pages}>
        <ListTable
          label={t('calibrations')}
          headers={['certificate', 'lab', 'calibrationDate', 'dueDate', 'values', 'cal.file'].map((h) => t(h))}
        >
          {pages.rows.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.certificateNumber}</Table.Td>
              <Table.Td>{c.issuingLab}</Table.Td>
              <Table.Td>{date(c.calibrationDate)}</Table.Td>
              <Table.Td>{date(c.dueDate)}</Table.Td>
              <Table.Td>
                {c.values
                  .map(
                    (v) =>
                      `${decimal(v.nominal)} ${v.unit}: ${decimal(v.value)}, U = ${decimal(v.expandedUncertainty)} (k = ${decimal(v.coverageFactor)})`,
                  )
                  .join('; ')}
              </Table.Td>
              <Table.Td>
                <CertificateFile c={c} canUpload={editor} />
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

function Summary({ s }: { s: Standard }) {
  const { t } = useTranslation('standards');
  return (
    <Stack gap={4}>
      <Group>
        <Title order={2}>
          {s.code} · {s.name}
        </Title>
        <Badge variant="light" tt="none">
          {t(`levels.${s.level}`)}
        </Badge>
        <Badge variant="light" tt="none">
          {t(`statuses.${s.status}`)}
        </Badge>
      </Group>
      <Text>
        {t('quantity')}: {s.quantity} ({s.unit}) · {decimal(s.rangeMin)} … {decimal(s.rangeMax)}
        {s.uncertainty && ` · U = ${decimal(s.uncertainty)} (k = ${decimal(s.coverageFactor)})`}
      </Text>
      <Group gap="xs">
        <Text>{t('due')}:</Text>
        {s.latestCalibration ? <DueBadge dueDate={s.latestCalibration.dueDate} soonDays={60} /> : t('neverCalibrated')}
      </Group>
    </Stack>
  );
}

/**
 * A standard: whether it may be used today, its traceability chain as a tree, its calibrations; for
 * admins and technicians, correcting it, recording a calibration and attaching its certificate PDF.
 */
export default function StandardPage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('standards');
  const editor = can(roles, 'admin', 'technician');
  const [editing, setEditing] = useState(false);
  const { standardId = '' } = useParams();
  const standard = useQuery({
    queryKey: ['standard', standardId],
    queryFn: async () => unwrap(await api.GET('/standards/{id}', { params: { path: { id: standardId } } })),
  });
  const s = standard.data;
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.standards}>
        {t('common:back')}
      </Anchor>
      <QueryState loading={standard.isLoading} error={standard.error}>
        {s && (
          <Stack>
            <Summary s={s} />
            {editor &&
              (editing ? (
                <StandardForm standard={s} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
              ) : (
                <Button w="fit-content" variant="light" onClick={() => setEditing(true)}>
                  {t('edit')}
                </Button>
              ))}
            <Usable id={s.id} />
            <TraceabilityChain standardId={s.id} />
            <Calibrations id={s.id} editor={editor} />
            {editor && <CalibrationForm standard={s} />}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
