import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { date, todayIso } from './format';

export type DueState = 'overdue' | 'soon' | 'ok' | 'none';

/** Where a due date stands today in Viet Nam: past, within `soonDays`, later, or none. */
export function dueState(dueDate: string | null | undefined, soonDays: number, today = todayIso()): DueState {
  if (!dueDate) return 'none';
  if (dueDate < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + soonDays);
  return dueDate <= soon.toISOString().slice(0, 10) ? 'soon' : 'ok';
}

const COLOR: Record<DueState, string> = { overdue: 'red', soon: 'orange', ok: 'teal', none: 'gray' };

/** The due date and its state in words (never colour alone). */
export function DueBadge({ dueDate, soonDays }: { dueDate: string | null | undefined; soonDays: number }) {
  const { t } = useTranslation();
  const state = dueState(dueDate, soonDays);
  return (
    <Badge variant="light" color={COLOR[state]}>
      {state === 'none' ? t('dueState.none') : `${t(`dueState.${state}`)} · ${date(dueDate)}`}
    </Badge>
  );
}
