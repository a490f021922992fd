import { Badge, Button, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { fieldError, unwrap } from '../../ui/problem';
import './i18n';

/** The standards a template normally uses: those chosen (by code), and a search to add more (in service). */
export function StandardsChooser(props: { value: string[]; onChange: (ids: string[]) => void; error: unknown }) {
  const { t } = useTranslation('templates');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useQuery({
    queryKey: ['standards', 'picker', 'in_service', q],
    queryFn: async () =>
      unwrap(
        await api.GET('/standards', { params: { query: { limit: 20, status: 'in_service', ...(q ? { q } : {}) } } }),
      ).items,
  });
  const chosen = useQueries({
    queries: props.value.map((id) => ({
      queryKey: ['standard', id],
      queryFn: async () => unwrap(await api.GET('/standards/{id}', { params: { path: { id } } })),
    })),
  });
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.value, id] : props.value.filter((x) => x !== id));
  return (
    <Stack gap="xs">
      <Title order={4}>{t('standards')}</Title>
      <Group gap="xs" aria-label={t('chosen')} role="list">
        {props.value.length === 0 && <Text c="dimmed">{t('noneChosen')}</Text>}
        {chosen.map((c, i) => {
          const code = c.data?.code ?? props.value[i]!;
          return (
            <Badge
              key={props.value[i]}
              variant="light"
              tt="none"
              role="listitem"
              rightSection={
                <Button
                  size="compact-xs"
                  variant="transparent"
                  aria-label={t('removeStandard', { code })}
                  onClick={() => toggle(props.value[i]!, false)}
                >
                  ✕
                </Button>
              }
            >
              {code}
            </Badge>
          );
        })}
      </Group>
      <TextInput
        label={t('searchStandards')}
        w={320}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <Stack gap={4}>
        {(found.data ?? []).map((s) => (
          <Checkbox
            key={s.id}
            label={t('useStandard', { code: s.code, name: s.name })}
            checked={props.value.includes(s.id)}
            onChange={(e) => toggle(s.id, e.currentTarget.checked)}
          />
        ))}
      </Stack>
      {fieldError(props.error, 'standardIds') && (
        <Text size="sm" c="red">
          {fieldError(props.error, 'standardIds')}
        </Text>
      )}
    </Stack>
  );
}
