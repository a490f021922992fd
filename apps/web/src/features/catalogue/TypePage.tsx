import { Anchor, Badge, Button, Group, List, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { date, decimal } from '../../ui/format';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { QueryState } from '../../ui/states';
import { ConfirmDialog } from '../../ui/confirm';
import { TemplatesSection } from '../templates/TemplatesSection';
import { ConfidenceBadge, ruleText } from './confidence';
import { CycleModal, TypeFormModal } from './TypeForm';
import './i18n';

type InstrumentType = components['schemas']['InstrumentTypeView'];
type Rule = components['schemas']['MpeRuleView'];

/** The admin's confirmation of a SECONDARY or UNCERTAIN rule against a named document. */
function ConfirmRule({ typeId, rule }: { typeId: string; rule: Rule }) {
  const { t } = useTranslation('catalogue');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [document, setDocument] = useState('');
  const [note, setNote] = useState('');
  const confirm = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/instrument-types/{id}/mpe-rules/{ruleId}/confirm', {
          params: { path: { id: typeId, ruleId: rule.id } },
          body: { document: document.trim(), ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: async (type) => {
      setOpen(false);
      client.setQueryData(['instrument-type', typeId], type);
      await client.invalidateQueries({ queryKey: ['instrument-types'] });
    },
  });
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpen(true)}>
        {t('confirm', { source: rule.sourceClause ?? rule.sourceDocument })}
      </Button>
      <ConfirmDialog
        opened={open}
        title={t('confirmTitle')}
        confirmLabel={t('doConfirm')}
        onConfirm={() => confirm.mutate()}
        onClose={() => setOpen(false)}
        pending={confirm.isPending}
        error={confirm.error}
        disabled={!document.trim()}
      >
        <Text size="sm">{t('confirmHint')}</Text>
        <Text size="sm">{ruleText(rule.rule)}</Text>
        <TextInput label={t('document')} value={document} onChange={(e) => setDocument(e.currentTarget.value)} />
        <Textarea label={t('note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      </ConfirmDialog>
    </>
  );
}

type Reason = InstrumentType['readiness'][number]['reasons'][number];

/** The reasons of one kind in the active language, from their codes and values (dates as dd/MM/yyyy). */
function ReasonLine({ label, reasons, warning }: { label: string; reasons: Reason[]; warning?: boolean }) {
  const { t } = useTranslation('catalogue');
  if (reasons.length === 0) return null;
  const text = reasons.map((r) =>
    t(`reasons.${r.code}`, {
      cycleMonths: r.cycleMonths,
      confidence: r.confidence,
      date: r.date && date(r.date),
      effectiveFrom: r.effectiveFrom && date(r.effectiveFrom),
    }),
  );
  return (
    <Text size="sm" c={warning ? 'orange.8' : undefined}>
      {`${label}: ${text.join('; ')}`}
    </Text>
  );
}

function Readiness({ type }: { type: InstrumentType }) {
  const { t } = useTranslation('catalogue');
  return (
    <Stack gap="xs">
      <Title order={3}>{t('readinessTitle')}</Title>
      <List aria-label={t('readinessTitle')}>
        {type.readiness.map((r) => (
          <List.Item key={r.service}>
            <Text span fw={600}>
              {t(`common:service.${r.service}`)}: {t(r.ready ? 'ready' : 'notReady')}
            </Text>
            <ReasonLine label={t('missing')} reasons={r.reasons.filter((x) => x.kind === 'missing')} />
            <ReasonLine label={t('warnings')} reasons={r.reasons.filter((x) => x.kind === 'warning')} warning />
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

function Rules({ type, admin }: { type: InstrumentType; admin: boolean }) {
  const { t } = useTranslation('catalogue');
  return (
    <Stack gap="xs">
      <Title order={3}>{t('rules')}</Title>
      <ListTable
        label={t('rules')}
        headers={['service', 'rule', 'multiplier', 'source', 'confidence', 'usable', 'confirmation'].map((h) => t(h))}
      >
        {type.mpeRules.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>{r.services.map((s) => t(`common:service.${s}`)).join(', ')}</Table.Td>
            <Table.Td>{ruleText(r.rule)}</Table.Td>
            <Table.Td>{decimal(r.multiplier)}</Table.Td>
            <Table.Td>{[r.sourceDocument, r.sourceClause, r.sourceNote].filter(Boolean).join(' · ')}</Table.Td>
            <Table.Td>
              <ConfidenceBadge rule={r} />
            </Table.Td>
            <Table.Td>{t(r.usable ? 'yes' : 'no')}</Table.Td>
            <Table.Td>
              {r.confirmation
                ? t('confirmedBy', { date: date(r.confirmation.at), against: r.confirmation.against })
                : admin && !r.usable && <ConfirmRule typeId={type.id} rule={r} />}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
    </Stack>
  );
}

function Cycles({ type }: { type: InstrumentType }) {
  const { t } = useTranslation('catalogue');
  return (
    <Stack gap="xs">
      <Title order={3}>{t('cycles')}</Title>
      <QueryState loading={false} error={null} empty={type.cycles.length === 0}>
        <ListTable
          label={t('cycles')}
          headers={['effectiveFrom', 'cycle', 'legalBasis', 'dataQuality'].map((h) => t(h))}
        >
          {type.cycles.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{date(c.effectiveFrom)}</Table.Td>
              <Table.Td>{c.cycleMonths ? t('months', { count: c.cycleMonths }) : t('noCycle')}</Table.Td>
              <Table.Td>{[c.legalBasis, c.note].filter(Boolean).join(' · ')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={c.dataQuality === 'confirmed' ? 'teal' : 'orange'} tt="none">
                  {t(`qualities.${c.dataQuality}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </QueryState>
    </Stack>
  );
}

/** Edit the type and add a cycle: admins only (the API checks again). */
function AdminEdits({ ty }: { ty: InstrumentType }) {
  const { t } = useTranslation('catalogue');
  const [open, setOpen] = useState<'edit' | 'cycle' | null>(null);
  return (
    <Group>
      <Button variant="light" onClick={() => setOpen('edit')}>
        {t('form.edit')}
      </Button>
      <Button variant="default" onClick={() => setOpen('cycle')}>
        {t('form.addCycle')}
      </Button>
      {open === 'edit' && <TypeFormModal opened ty={ty} onClose={() => setOpen(null)} />}
      {open === 'cycle' && <CycleModal opened ty={ty} onClose={() => setOpen(null)} />}
    </Group>
  );
}

/** A type: procedures, readiness per service, MPE rules (confirm for admins), the cycle history. */
export default function TypePage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('catalogue');
  const { typeId = '' } = useParams();
  const type = useQuery({
    queryKey: ['instrument-type', typeId],
    queryFn: async () => unwrap(await api.GET('/instrument-types/{id}', { params: { path: { id: typeId } } })),
  });
  const ty = type.data;
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.types}>
        {t('common:back')}
      </Anchor>
      <QueryState loading={type.isLoading} error={type.error}>
        {ty && (
          <Stack>
            <Group>
              <Title order={2}>
                {ty.code} · {ty.nameVi}
              </Title>
              <Badge variant="light" color={ty.readyForVerification ? 'teal' : 'orange'} tt="none">
                {t(ty.readyForVerification ? 'ready' : 'notReady')}
              </Badge>
            </Group>
            <Text c="dimmed">{ty.nameEn}</Text>
            <Text>
              {t('procedures')}:{' '}
              {ty.procedures.map((p) => [p.code, p.version].filter(Boolean).join(':')).join(', ') || '—'}
            </Text>
            <Text>
              {t('centreRule')}: {ty.mpeRule ? ruleText(ty.mpeRule) : '—'}
            </Text>
            {can(roles, 'admin') && <AdminEdits ty={ty} />}
            <Readiness type={ty} />
            <Rules type={ty} admin={can(roles, 'admin')} />
            <Cycles type={ty} />
            <TemplatesSection typeId={ty.id} editor={can(roles, 'admin', 'technician')} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
