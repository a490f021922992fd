import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from './problem';

/** The catalogue's active types (200 at most: the whole catalogue), for pickers and for naming a type by its id. */
export function useActiveTypes() {
  return useQuery({
    queryKey: ['instrument-types', 'picker'],
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/instrument-types', { params: { query: { limit: 200, active: true } } })).items,
  });
}

/** An instrument type of the catalogue (active ones, by code), or all ('' ; `emptyLabel` names it in a form). */
export function TypeSelect(props: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  emptyLabel?: string;
  error?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const types = useActiveTypes();
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      error={props.error}
      required={props.required}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      data={[
        { value: '', label: props.emptyLabel ?? t('all') },
        ...(types.data ?? []).map((ty) => ({ value: ty.id, label: `${ty.code} · ${ty.nameVi}` })),
      ]}
    />
  );
}

/**
 * A customer: a search box (part of the name or the tax code) and a list of what it finds (20 at most).
 * Two plain controls rather than a combobox: no floating-ui in the chunks the screens share.
 */
export function OwnerSelect(props: {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  emptyLabel?: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useQuery({
    queryKey: ['organizations', 'picker', q],
    queryFn: async () =>
      unwrap(await api.GET('/organizations', { params: { query: { limit: 20, ...(q ? { q } : {}) } } })).items,
  });
  return (
    <Group align="end" gap="xs">
      <TextInput
        label={t('picker.search', { what: props.label.toLocaleLowerCase() })}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <NativeSelect
        label={props.label}
        value={props.value ?? ''}
        error={props.error}
        onChange={(e) => props.onChange(e.currentTarget.value || null)}
        data={[
          { value: '', label: props.emptyLabel ?? t('all') },
          ...(found.data ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.taxCode})` })),
        ]}
      />
    </Group>
  );
}

/** One of a list's filter values, or all (''): the labels come translated. */
export function FilterSelect<T extends string>(props: {
  label: string;
  value: T | '';
  onChange: (value: T | '') => void;
  options: readonly T[];
  optionLabel: (value: T) => string;
}) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as T | '')}
      data={[{ value: '', label: t('all') }, ...props.options.map((o) => ({ value: o, label: props.optionLabel(o) }))]}
    />
  );
}
