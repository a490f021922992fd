import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import './forms-i18n';
import { unwrap } from './problem';

/** The current province and commune (admin unit ids) of an address; null: not given. */
export interface AdminPlace {
  provinceId: string | null;
  communeId: string | null;
}

/** Provinces (34 since 1 July 2025: one page) and none (''). */
function ProvinceSelect(props: {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation('forms');
  const provinces = useQuery({
    queryKey: ['admin-units', 'province'],
    staleTime: 60 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/admin-units', { params: { query: { level: 'province', limit: 200 } } })).items,
  });
  return (
    <NativeSelect
      label={props.label}
      value={props.value ?? ''}
      error={props.error}
      onChange={(e) => props.onChange(e.currentTarget.value || null)}
      data={[
        { value: '', label: t('place.none') },
        ...(provinces.data ?? []).map((p) => ({ value: p.id, label: p.name })),
      ]}
    />
  );
}

/**
 * A commune of the chosen province: a search box (part of the name) and what it finds (the chosen
 * one kept in the list). Disabled until a province is chosen.
 */
function CommuneSelect(props: {
  label: string;
  provinceId: string | null;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation('forms');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const communes = useQuery({
    queryKey: ['admin-units', 'commune', props.provinceId, q],
    enabled: !!props.provinceId,
    queryFn: async () =>
      unwrap(
        await api.GET('/admin-units', {
          params: { query: { level: 'commune', parent: props.provinceId!, limit: 200, ...(q ? { q } : {}) } },
        }),
      ).items,
  });
  const chosen = useQuery({
    queryKey: ['admin-unit', props.value],
    enabled: !!props.value,
    staleTime: 60 * 60_000,
    queryFn: async () => unwrap(await api.GET('/admin-units/{id}', { params: { path: { id: props.value! } } })),
  });
  const found = communes.data ?? [];
  const options = chosen.data && !found.some((c) => c.id === chosen.data.id) ? [chosen.data, ...found] : found;
  return (
    <Group align="end" gap="xs" grow>
      <TextInput
        label={t('common:picker.search', { what: props.label.toLocaleLowerCase() })}
        value={search}
        disabled={!props.provinceId}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <NativeSelect
        label={props.label}
        value={props.value ?? ''}
        disabled={!props.provinceId}
        error={props.error}
        onChange={(e) => props.onChange(e.currentTarget.value || null)}
        data={[{ value: '', label: t('place.none') }, ...options.map((c) => ({ value: c.id, label: c.name }))]}
      />
    </Group>
  );
}

/** Province and commune of the current administrative map; a new province clears the commune. */
export function AdminPlaceFields(props: {
  value: AdminPlace;
  onChange: (value: AdminPlace) => void;
  errors?: { provinceId?: string; communeId?: string };
}) {
  const { t } = useTranslation('forms');
  return (
    <Group grow align="start">
      <ProvinceSelect
        label={t('place.province')}
        value={props.value.provinceId}
        error={props.errors?.provinceId}
        onChange={(provinceId) => props.onChange({ provinceId, communeId: null })}
      />
      <CommuneSelect
        label={t('place.commune')}
        provinceId={props.value.provinceId}
        value={props.value.communeId}
        error={props.errors?.communeId}
        onChange={(communeId) => props.onChange({ ...props.value, communeId })}
      />
    </Group>
  );
}
