import { Checkbox, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ItemView } from './RequestPage';

/** Which of these items a batch action takes: one checkbox each, and one for all of them. */
export function ItemChecklist(props: { items: ItemView[]; selected: Set<string>; onChange: (s: Set<string>) => void }) {
  const { t } = useTranslation('reception');
  const { items, selected } = props;
  const all = items.length > 0 && items.every((i) => selected.has(i.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    props.onChange(next);
  };
  return (
    <Stack gap={4}>
      <Checkbox
        label={t('selectAll', { count: items.length })}
        checked={all}
        indeterminate={!all && items.some((i) => selected.has(i.id))}
        onChange={(e) => props.onChange(new Set(e.currentTarget.checked ? items.map((i) => i.id) : []))}
      />
      {items.map((i) => (
        <Checkbox
          key={i.id}
          ml="md"
          label={`${i.ordinal + 1}. ${i.instrument ? `${i.instrument.typeCode} · ${i.instrument.serialNumber}` : i.service}`}
          checked={selected.has(i.id)}
          onChange={(e) => toggle(i.id, e.currentTarget.checked)}
        />
      ))}
    </Stack>
  );
}
