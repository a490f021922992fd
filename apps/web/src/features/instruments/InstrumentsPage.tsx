import { Anchor, Badge, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { DueBadge } from '../../ui/due';
import { Paged, usePages } from '../../ui/pages';
import { FilterSelect, OwnerSelect, TypeSelect } from '../../ui/pickers';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import './i18n';
import { RegisterInstrument } from './InstrumentForm';
import { placeOfUse } from './place';

type Instrument = components['schemas']['InstrumentView'];
type Status = Instrument['status'];
const STATUSES: Status[] = ['in_service', 'out_of_service', 'scrapped'];

function Filters(props: {
  serial: string;
  setSerial: (v: string) => void;
  type: string;
  setType: (v: string) => void;
  owner: string | null;
  setOwner: (v: string | null) => void;
  status: Status | '';
  setStatus: (v: Status | '') => void;
}) {
  const { t } = useTranslation('instruments');
  return (
    <Group align="end">
      <TextInput
        label={t('serialExact')}
        value={props.serial}
        onChange={(e) => props.setSerial(e.currentTarget.value)}
      />
      <TypeSelect label={t('type')} value={props.type} onChange={props.setType} />
      <OwnerSelect label={t('owner')} value={props.owner} onChange={props.setOwner} />
      <FilterSelect
        label={t('status')}
        value={props.status}
        onChange={props.setStatus}
        options={STATUSES}
        optionLabel={(s) => t(`statuses.${s}`)}
      />
    </Group>
  );
}

/** Instruments by serial, type, owner and status (the filters the API offers), paged. */
export default function InstrumentsPage() {
  const { t } = useTranslation('instruments');
  const [serialText, setSerial] = useState('');
  const [serial] = useDebouncedValue(serialText.trim(), 300);
  const [type, setType] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | ''>('');
  const pages = usePages(['instruments', serial, type, owner, status], async (cursor) =>
    unwrap(
      await api.GET('/instruments', {
        params: {
          query: {
            limit: 20,
            cursor,
            ...(serial ? { serial } : {}),
            ...(type ? { type } : {}),
            ...(owner ? { owner } : {}),
            ...(status ? { status } : {}),
          },
        },
      }),
    ),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <RegisterInstrument />
      </Group>
      <Filters {...{ serial: serialText, setSerial, type, setType, owner, setOwner, status, setStatus }} />
      <Paged pages={pages}>
        <ListTable
          label={t('title')}
          headers={['serial', 'type', 'owner', 'placeOfUse', 'due', 'status'].map((h) => t(h))}
        >
          {pages.rows.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={ROUTES.instrument(i.id)}
                  aria-label={t('open', { serial: i.serialNumber })}
                >
                  {i.serialNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{i.instrumentType.nameVi}</Table.Td>
              <Table.Td>{i.owner.name}</Table.Td>
              <Table.Td>{placeOfUse(i)}</Table.Td>
              <Table.Td>
                <DueBadge dueDate={i.nextDueDate} soonDays={30} />
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{t(`statuses.${i.status}`)}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}
