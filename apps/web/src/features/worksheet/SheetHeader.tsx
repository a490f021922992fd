import { Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../ui/DateField';
import { decimal } from '../../ui/format';
import { fieldError } from '../../ui/problem';
import { ENVIRONMENT, type SheetForm, type Worksheet } from './useWorksheet';

interface Props {
  sheet: Worksheet;
  form: SheetForm;
  setForm: (f: SheetForm) => void;
  error: unknown;
  readOnly: boolean;
}

/** Date, place and environment (each with the procedure's limits), the 422 beside the field it names. */
export function SheetHeader({ sheet, form, setForm, error, readOnly }: Props) {
  const { t } = useTranslation('worksheet');
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group align="start">
          <DateField
            label={t('measuredOn')}
            value={form.measuredOn}
            readOnly={readOnly}
            error={fieldError(error, 'measuredOn')}
            onChange={(measuredOn) => setForm({ ...form, measuredOn })}
          />
          <TextInput
            label={t('place')}
            w={360}
            value={form.place}
            readOnly={readOnly}
            error={fieldError(error, 'place')}
            onChange={(e) => setForm({ ...form, place: e.currentTarget.value })}
          />
        </Group>
        <Title order={4}>{t('environment')}</Title>
        <Group align="start">
          {ENVIRONMENT.map((k) => {
            const limit = sheet.environmentLimits[k];
            return (
              <TextInput
                key={k}
                label={t(k)}
                inputMode="decimal"
                readOnly={readOnly}
                description={
                  limit ? t('limits', { min: decimal(limit.min ?? null), max: decimal(limit.max ?? null) }) : undefined
                }
                value={form.environment[k]}
                error={fieldError(error, `environment.${k}`)}
                onChange={(e) => setForm({ ...form, environment: { ...form.environment, [k]: e.currentTarget.value } })}
              />
            );
          })}
        </Group>
      </Stack>
    </Paper>
  );
}

/** The template's standards: usable ones can be ticked; an unusable one is shown with the reason. */
export function StandardsPanel({ sheet, form, setForm, error, readOnly }: Props) {
  const { t } = useTranslation('worksheet');
  const toggle = (id: string, on: boolean) =>
    setForm({ ...form, standardIds: on ? [...form.standardIds, id] : form.standardIds.filter((s) => s !== id) });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>{t('standards')}</Title>
        {sheet.standards.map((s) => (
          <Stack key={s.id} gap={0}>
            <Checkbox
              label={`${s.code} · ${s.name}${s.certificateNumber ? ` (${s.certificateNumber})` : ''}`}
              checked={form.standardIds.includes(s.id)}
              disabled={!s.usable || readOnly}
              onChange={(e) => toggle(s.id, e.currentTarget.checked)}
            />
            {!s.usable && (
              <Text size="sm" c="red">
                {t('unusable', { reasons: s.reasons.join('; ') })}
              </Text>
            )}
          </Stack>
        ))}
        {fieldError(error, 'standardIds') && (
          <Text c="red" size="sm" role="alert">
            {fieldError(error, 'standardIds')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
