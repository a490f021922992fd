import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { locale } from '../../ui/format';

type Rule = components['schemas']['MpeRuleView'];

const COLOR: Record<Rule['confidence'], string> = {
  VERIFIED: 'teal',
  CENTRE: 'blue',
  SECONDARY: 'orange',
  UNCERTAIN: 'red',
};

/** A seeded rule's confidence said plainly: the grade, what it means, and whether it was confirmed. */
export function ConfidenceBadge({ rule }: { rule: Rule }) {
  const { t } = useTranslation('catalogue');
  const confirmed = rule.confirmation ? ` · ${t('qualities.confirmed')}` : '';
  return (
    <Badge variant="light" color={COLOR[rule.confidence]} tt="none">
      {rule.confidence} · {t(`confidences.${rule.confidence}`)}
      {confirmed}
    </Badge>
  );
}

/** A rule of the MPE rule language in one line (`percent_of_reading(p = 0,5)`), numbers in the locale. */
export function ruleText(value: unknown): string {
  if (typeof value === 'number') return new Intl.NumberFormat(locale(), { maximumFractionDigits: 10 }).format(value);
  if (Array.isArray(value)) return `[${value.map(ruleText).join('; ')}]`;
  if (value && typeof value === 'object') {
    const { kind, ...rest } = value as Record<string, unknown>;
    const args = Object.entries(rest).map(([k, v]) => `${k} = ${ruleText(v)}`);
    return kind ? `${String(kind)}(${args.join(', ')})` : `{${args.join(', ')}}`;
  }
  return String(value);
}
