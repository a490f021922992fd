import { Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../ui/problem';
import {
  ENV,
  newPoint,
  newTerm,
  TERM_FIELDS,
  TERM_KINDS,
  type Decimals,
  type Distribution,
  type PointDraft,
  type TemplateDraft,
  type TermDraft,
  type TermKind,
} from './draft';
import './i18n';

const DISTRIBUTIONS: Distribution[] = ['rectangular', 'triangular', 'u_shaped', 'normal'];

interface Part<T> {
  value: T;
  onChange: (v: T) => void;
  error: unknown;
}

/** The points: nominal value, how many readings, a unit of its own if not the template's. */
export function PointsEditor({ value, onChange, error }: Part<PointDraft[]>) {
  const { t } = useTranslation('templates');
  const set = (p: PointDraft, patch: Partial<PointDraft>) =>
    onChange(value.map((x) => (x.key === p.key ? { ...x, ...patch } : x)));
  return (
    <Stack gap="xs">
      <Title order={4}>{t('pointsTitle')}</Title>
      {value.map((p, i) => (
        <Group key={p.key} align="start">
          <TextInput
            label={t('nominal', { n: i + 1 })}
            value={p.nominal}
            error={fieldError(error, `points[${i}].nominal`)}
            onChange={(e) => set(p, { nominal: e.currentTarget.value })}
          />
          <TextInput
            label={t('readings', { n: i + 1 })}
            w={140}
            inputMode="numeric"
            value={p.readings}
            error={fieldError(error, `points[${i}].readings`)}
            onChange={(e) => set(p, { readings: e.currentTarget.value })}
          />
          <TextInput
            label={t('pointUnit', { n: i + 1 })}
            value={p.unit}
            error={fieldError(error, `points[${i}].unit`)}
            onChange={(e) => set(p, { unit: e.currentTarget.value })}
          />
          <Button
            mt={24}
            variant="subtle"
            color="red"
            aria-label={t('removePoint', { n: i + 1 })}
            disabled={value.length === 1}
            onClick={() => onChange(value.filter((x) => x.key !== p.key))}
          >
            ✕
          </Button>
        </Group>
      ))}
      {fieldError(error, 'points') && !value.some((_, i) => fieldError(error, `points[${i}]`)) && (
        <Text size="sm" c="red">
          {fieldError(error, 'points')}
        </Text>
      )}
      <Button w="fit-content" variant="light" onClick={() => onChange([...value, newPoint()])}>
        {t('addPoint')}
      </Button>
    </Stack>
  );
}

function TermRow(props: {
  n: number;
  term: TermDraft;
  set: (t: TermDraft) => void;
  remove: () => void;
  error: unknown;
  decimals: Decimals;
}) {
  const { t } = useTranslation('templates');
  const { n, term, set, error } = props;
  const at = (f: string) => fieldError(error, `components[${n - 1}].${f}`);
  return (
    <Group align="start">
      <NativeSelect
        label={t('kind', { n })}
        value={term.kind}
        onChange={(e) => {
          const kind = e.currentTarget.value as TermKind;
          set({ ...newTerm(props.decimals, kind, { name: term.name }), key: term.key, base: term.base });
        }}
        data={TERM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
      />
      <TextInput
        label={t('componentName', { n })}
        value={term.name}
        error={at('name')}
        onChange={(e) => set({ ...term, name: e.currentTarget.value })}
      />
      {term.kind === 'type_b_limits' && (
        <NativeSelect
          label={t('distribution', { n })}
          value={term.distribution}
          onChange={(e) => set({ ...term, distribution: e.currentTarget.value as Distribution })}
          data={DISTRIBUTIONS.map((d) => ({ value: d, label: t(`distributions.${d}`) }))}
        />
      )}
      {TERM_FIELDS[term.kind].map((f) => (
        <TextInput
          key={f}
          label={t(f, { n })}
          w={f === 'resolution' ? 260 : 140}
          value={term.numbers[f] ?? ''}
          error={at(f)}
          onChange={(e) => set({ ...term, numbers: { ...term.numbers, [f]: e.currentTarget.value } })}
        />
      ))}
      <TextInput
        label={t('sensitivityCoefficient', { n })}
        w={180}
        value={term.sensitivityCoefficient}
        error={at('sensitivityCoefficient')}
        onChange={(e) => set({ ...term, sensitivityCoefficient: e.currentTarget.value })}
      />
      <Button mt={24} variant="subtle" color="red" aria-label={t('removeComponent', { n })} onClick={props.remove}>
        ✕
      </Button>
    </Group>
  );
}

/** The uncertainty budget rows applied at every point. */
export function BudgetEditor({ value, onChange, error, decimals }: Part<TermDraft[]> & { decimals: Decimals }) {
  const { t } = useTranslation('templates');
  return (
    <Stack gap="xs">
      <Title order={4}>{t('budget')}</Title>
      {value.map((term, i) => (
        <TermRow
          key={term.key}
          n={i + 1}
          term={term}
          decimals={decimals}
          error={error}
          set={(next) => onChange(value.map((x) => (x.key === term.key ? next : x)))}
          remove={() => onChange(value.filter((x) => x.key !== term.key))}
        />
      ))}
      {fieldError(error, 'components') && !value.some((_, i) => fieldError(error, `components[${i}]`)) && (
        <Text size="sm" c="red">
          {fieldError(error, 'components')}
        </Text>
      )}
      <Button w="fit-content" variant="light" onClick={() => onChange([...value, newTerm(decimals)])}>
        {t('addComponent')}
      </Button>
    </Stack>
  );
}

/** Temperature, humidity and pressure: lowest and highest (either may be left empty). */
export function EnvironmentEditor({ value, onChange, error }: Part<TemplateDraft['env']>) {
  const { t } = useTranslation('templates');
  return (
    <Stack gap="xs">
      <Title order={4}>{t('environment')}</Title>
      <Group align="start">
        {ENV.flatMap((q) =>
          (['min', 'max'] as const).map((end) => (
            <TextInput
              key={`${q}.${end}`}
              w={200}
              label={t(end, { what: t(`env.${q}`) })}
              value={value[q][end]}
              error={
                fieldError(error, `environmentLimits.${q}.${end}`) ??
                (end === 'min' ? fieldError(error, `environmentLimits.${q}`) : undefined)
              }
              onChange={(e) => onChange({ ...value, [q]: { ...value[q], [end]: e.currentTarget.value } })}
            />
          )),
        )}
      </Group>
    </Stack>
  );
}
