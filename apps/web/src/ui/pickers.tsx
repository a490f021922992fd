import { NativeSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from './problem';

/** An instrument type of the catalogue (active ones, by code), or all ('' ). */
export function TypeSelect(props: { label: string; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const types = useQuery({
    queryKey: ['instrument-types', 'picker'],
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/instrument-types', { params: { query: { limit: 200, active: true } } })).items,
  });
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      data={[
        { value: '', label: t('all') },
        ...(types.data ?? []).map((ty) => ({ value: ty.id, label: `${ty.code} · ${ty.nameVi}` })),
      ]}
    />
  );
}

/** A customer found by part of its name or tax code (20 at most offered), or none. */
export function OwnerSelect(props: { label: string; value: string | null; onChange: (id: string | null) => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  // Once a customer is picked the box shows its label: that is no search.
  const term = picked && search === picked.label ? '' : q;
  const found = useQuery({
    queryKey: ['organizations', 'picker', term],
    queryFn: async () =>
      unwrap(await api.GET('/organizations', { params: { query: { limit: 20, ...(term ? { q: term } : {}) } } })).items,
  });
  return (
    <Select
      label={props.label}
      searchable
      clearable
      value={props.value}
      onChange={(id, option) => {
        setPicked(id ? option : null);
        props.onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={[
        ...(picked ? [picked] : []),
        ...(found.data ?? [])
          .filter((o) => o.id !== picked?.value)
          .map((o) => ({ value: o.id, label: `${o.name} (${o.taxCode})` })),
      ]}
    />
  );
}
