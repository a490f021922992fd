import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { dueState, type DueState } from './due-state';
import { date, todayIso } from './format';

const COLOR: Record<DueState, string> = { overdue: 'red', soon: 'orange', ok: 'teal', none: 'gray' };

/** The due date and its state in words (never colour alone). */
export function DueBadge({ dueDate, soonDays }: { dueDate: string | null | undefined; soonDays: number }) {
  const { t } = useTranslation();
  const state = dueState(dueDate, soonDays, todayIso());
  return (
    <Badge variant="light" color={COLOR[state]}>
      {state === 'none' ? t('dueState.none') : `${t(`dueState.${state}`)} · ${date(dueDate)}`}
    </Badge>
  );
}
