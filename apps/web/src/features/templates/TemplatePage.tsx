import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Switch,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { can, type StaffRole } from '../../app/session';
import { decimal, parseDecimal } from '../../ui/format';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { toBody, toDraft, type Decimals, type TemplateDraft, type TemplateService } from './draft';
import { BudgetEditor, EnvironmentEditor, PointsEditor } from './parts';
import { StandardsChooser } from './StandardsChooser';
import './i18n';

type InstrumentType = components['schemas']['InstrumentTypeView'];
type Template = components['schemas']['TemplateView'];
const DECIMALS: Decimals = { show: decimal, parse: parseDecimal };

/** The decision rule (a guard band factor when guarded) and whether the template is in use. */
function RuleAndState(props: { d: TemplateDraft; set: (p: Partial<TemplateDraft>) => void; error: unknown }) {
  const { t } = useTranslation('templates');
  const { d, set } = props;
  const err = (f: string) => fieldError(props.error, f);
  return (
    <Group align="end">
      <NativeSelect
        label={t('decisionRule')}
        value={d.rule}
        error={err('decisionRule')}
        onChange={(e) => set({ rule: e.currentTarget.value as TemplateDraft['rule'] })}
        data={(['simple', 'guarded'] as const).map((r) => ({ value: r, label: t(`rules.${r}`) }))}
      />
      {d.rule === 'guarded' && (
        <TextInput
          label={t('guardBandFactor')}
          w={200}
          value={d.guardBandFactor}
          error={err('decisionRule.guardBandFactor')}
          onChange={(e) => set({ guardBandFactor: e.currentTarget.value })}
        />
      )}
      <Switch label={t('activeSwitch')} checked={d.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
    </Group>
  );
}

function General(props: {
  type: InstrumentType;
  d: TemplateDraft;
  set: (p: Partial<TemplateDraft>) => void;
  error: unknown;
}) {
  const { t } = useTranslation('templates');
  const { type, d, set, error } = props;
  const services = type.services.filter((s): s is TemplateService => s !== 'testing');
  const err = (f: string) => fieldError(error, f);
  return (
    <Stack gap="xs">
      <Title order={4}>{t('general')}</Title>
      <Group align="start">
        <TextInput
          label={t('name')}
          required
          w={420}
          value={d.name}
          error={err('name')}
          onChange={(e) => set({ name: e.currentTarget.value })}
        />
        <NativeSelect
          label={t('procedureCode')}
          required
          value={d.procedureCode}
          error={err('procedureCode')}
          onChange={(e) => set({ procedureCode: e.currentTarget.value })}
          data={[
            { value: '', label: t('chooseProcedure') },
            ...type.procedures.map((p) => ({ value: p.code, label: [p.code, p.version].filter(Boolean).join(':') })),
          ]}
        />
        <TextInput
          label={t('unit')}
          required
          w={200}
          value={d.unit}
          error={err('unit')}
          onChange={(e) => set({ unit: e.currentTarget.value })}
        />
        <TextInput
          label={t('coverageProbability')}
          w={160}
          value={d.coverageProbability}
          error={err('coverageProbability')}
          onChange={(e) => set({ coverageProbability: e.currentTarget.value })}
        />
      </Group>
      <Checkbox.Group
        label={t('services')}
        value={d.services}
        error={err('services')}
        onChange={(v) => set({ services: services.filter((s) => v.includes(s)) })}
      >
        <Group mt={4}>
          {services.map((s) => (
            <Checkbox key={s} value={s} label={t(`common:service.${s}`)} />
          ))}
        </Group>
      </Checkbox.Group>
      <RuleAndState d={d} set={set} error={error} />
    </Stack>
  );
}

function useSave(type: InstrumentType, template: Template | undefined) {
  const { t } = useTranslation('templates');
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (d: TemplateDraft) => {
      const body = toBody(DECIMALS, d, type.id);
      if (!template) return unwrap(await api.POST('/calibration-templates', { body }));
      // A template stays with its type: PATCH takes everything but instrumentTypeId.
      const changes: Partial<typeof body> = { ...body };
      delete changes.instrumentTypeId;
      return unwrap(
        await api.PATCH('/calibration-templates/{id}', { params: { path: { id: template.id } }, body: changes }),
      );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: template ? t('saved') : t('created', { name: saved.name }) });
      client.setQueryData(['template', saved.id], saved);
      await client.invalidateQueries({ queryKey: ['templates', type.id] });
      if (!template) void navigate(ROUTES.template(type.id, saved.id), { replace: true });
    },
  });
}

function TemplateForm(props: { type: InstrumentType; template?: Template; editor: boolean }) {
  const { t } = useTranslation('templates');
  const { type, template, editor } = props;
  const [d, setD] = useState(() => toDraft(DECIMALS, template, type));
  const set = (patch: Partial<TemplateDraft>) => setD((x) => ({ ...x, ...patch }));
  const save = useSave(type, template);
  const error = save.error;
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      aria-label={template ? t('editTitle', { name: template.name }) : t('newTitle', { type: type.code })}
      onSubmit={(e) => (e.preventDefault(), save.mutate(d))}
    >
      <fieldset disabled={!editor} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack>
          {!editor && <Alert color="gray">{t('readOnly')}</Alert>}
          <General type={type} d={d} set={set} error={error} />
          <PointsEditor value={d.points} onChange={(points) => set({ points })} error={error} />
          <BudgetEditor value={d.terms} onChange={(terms) => set({ terms })} error={error} decimals={DECIMALS} />
          <StandardsChooser value={d.standardIds} onChange={(standardIds) => set({ standardIds })} error={error} />
          <EnvironmentEditor value={d.env} onChange={(env) => set({ env })} error={error} />
          <ProblemAlert error={error} />
          {editor && (
            <Button type="submit" w="fit-content" loading={save.isPending}>
              {t('save')}
            </Button>
          )}
        </Stack>
      </fieldset>
    </Paper>
  );
}

/** A worksheet template of an instrument type: create ('new') or edit it (admins and technicians), or read it. */
export default function TemplatePage({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation('templates');
  const { typeId = '', templateId = 'new' } = useParams();
  const type = useQuery({
    queryKey: ['instrument-type', typeId],
    queryFn: async () => unwrap(await api.GET('/instrument-types/{id}', { params: { path: { id: typeId } } })),
  });
  const template = useQuery({
    queryKey: ['template', templateId],
    enabled: templateId !== 'new',
    queryFn: async () => unwrap(await api.GET('/calibration-templates/{id}', { params: { path: { id: templateId } } })),
  });
  const ty = type.data;
  const tpl = template.data;
  const ready = ty && (templateId === 'new' || tpl);
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.type(typeId)}>
        {t('backToType', { code: ty?.code ?? '' })}
      </Anchor>
      <QueryState loading={type.isLoading || template.isLoading} error={type.error ?? template.error}>
        {ready && (
          <Stack>
            <Title order={2}>
              {tpl ? t('editTitle', { name: tpl.name }) : t('newTitle', { type: `${ty.code} · ${ty.nameVi}` })}
            </Title>
            <TemplateForm
              key={tpl?.updatedAt ?? 'new'}
              type={ty}
              template={tpl}
              editor={can(roles, 'admin', 'technician')}
            />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
