import { Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { saveBlob } from '../../ui/download';
import { date } from '../../ui/format';
import { Paged } from '../../ui/pages';
import { OwnerSelect, TypeSelect } from '../../ui/pickers';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import { ListTable } from '../../ui/table';
import './i18n';

type Due = components['schemas']['DueItemView'];
/** 0: overdue and due today only (the API always includes overdue instruments). */
const WINDOWS = [0, 30, 60, 90, 180, 365];

function DueCell({ d }: { d: Due }) {
  const { t } = useTranslation('dueList');
  const when =
    d.daysUntilDue < 0
      ? t('overdueBy', { count: -d.daysUntilDue })
      : d.daysUntilDue === 0
        ? t('dueToday')
        : t('dueIn', { count: d.daysUntilDue });
  return (
    <Stack gap={2}>
      <Badge variant="light" color={d.overdue ? 'red' : d.daysUntilDue <= 30 ? 'orange' : 'teal'} tt="none">
        {date(d.nextDueDate)} · {when}
      </Badge>
      {d.verificationRevokedOn && <Text size="xs">{t('revoked', { date: date(d.verificationRevokedOn) })}</Text>}
    </Stack>
  );
}

function DueTable({ rows }: { rows: Due[] }) {
  const { t } = useTranslation('dueList');
  return (
    <ListTable
      label={t('title')}
      headers={['owner', 'type', 'serial', 'place', 'lastVerification', 'due'].map((h) => t(h))}
    >
      {rows.map((d) => (
        <Table.Tr key={d.id}>
          <Table.Td>{d.owner.name}</Table.Td>
          <Table.Td>{d.instrumentType.nameVi}</Table.Td>
          <Table.Td>
            <Anchor component={Link} to={ROUTES.instrument(d.id)} aria-label={t('open', { serial: d.serialNumber })}>
              {d.serialNumber}
            </Anchor>
          </Table.Td>
          <Table.Td>{[d.siteName, d.streetAddress, d.district].filter(Boolean).join(', ') || '—'}</Table.Td>
          <Table.Td>
            {date(d.lastVerificationDate)}
            {d.lastCertificateNumber && ` · ${d.lastCertificateNumber}`}
          </Table.Td>
          <Table.Td>
            <DueCell d={d} />
          </Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}

type Filters = { within: number; type?: string; owner?: string; district?: string };

/** The file name the API gives (Content-Disposition), else one of ours. */
function fileName(response: Response, format: 'xlsx' | 'csv'): string {
  const header = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return star ? decodeURIComponent(star[1]!) : (plain?.[1] ?? `den-han-kiem-dinh.${format}`);
}

/** The same list, with the same filters, as an XLSX or CSV file (the API streams it; the session's token). */
function Export({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dueList');
  const download = useMutation({
    mutationFn: async (format: 'xlsx' | 'csv') => {
      const result = await api.GET('/instruments/due/export', {
        params: { query: { ...filters, format } },
        parseAs: 'blob',
      });
      saveBlob(unwrap(result) as Blob, fileName(result.response, format));
    },
  });
  return (
    <Stack gap="xs">
      <Group>
        {(['xlsx', 'csv'] as const).map((f) => (
          <Button
            key={f}
            variant="light"
            loading={download.isPending && download.variables === f}
            onClick={() => download.mutate(f)}
          >
            {t(`export.${f}`)}
          </Button>
        ))}
      </Group>
      <ProblemAlert error={download.error} />
    </Stack>
  );
}

/** The recall list: overdue first, then by due date; by type, owner, area and window; paged. */
export default function DueListPage() {
  const { t } = useTranslation('dueList');
  const [type, setType] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [districtText, setDistrict] = useState('');
  const [district] = useDebouncedValue(districtText.trim(), 300);
  const [within, setWithin] = useState(30);
  const filters: Filters = {
    within,
    ...(type ? { type } : {}),
    ...(owner ? { owner } : {}),
    ...(district ? { district } : {}),
  };
  const query = useInfiniteQuery({
    queryKey: ['instruments-due', type, owner, district, within],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/instruments/due', { params: { query: { limit: 20, cursor: pageParam, ...filters } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const until = query.data?.pages[0]?.dueOnOrBefore;
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <TypeSelect label={t('type')} value={type} onChange={setType} />
        <OwnerSelect label={t('owner')} value={owner} onChange={setOwner} />
        <TextInput label={t('district')} value={districtText} onChange={(e) => setDistrict(e.currentTarget.value)} />
        <NativeSelect
          label={t('window')}
          value={String(within)}
          onChange={(e) => setWithin(Number(e.currentTarget.value))}
          data={WINDOWS.map((w) => ({ value: String(w), label: w === 0 ? t('overdueOnly') : t('days', { count: w }) }))}
        />
      </Group>
      {until && <Text size="sm">{t('range', { date: date(until) })}</Text>}
      <Export filters={filters} />
      <Paged pages={{ query, rows }}>
        <DueTable rows={rows} />
      </Paged>
    </Stack>
  );
}
