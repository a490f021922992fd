import { Button, Code, Group, List, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { dateTime } from '../../ui/format';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { fieldChanges } from './changes';
import { auditTrail } from './i18n';

type AuditEvent = components['schemas']['AuditEventView'];
const ENTITIES = Object.keys(auditTrail.vi.entities);
const SHOWN_CHANGES = 5;

function Changes({ e }: { e: AuditEvent }) {
  const { t } = useTranslation('auditTrail');
  const changes = fieldChanges(e.before, e.after);
  const created = e.before === null;
  return (
    <List size="xs">
      {changes.slice(0, SHOWN_CHANGES).map((c) => (
        <List.Item key={c.field}>
          <Code>{c.field}</Code> {created ? `= ${c.after}` : `${c.before} → ${c.after}`}
        </List.Item>
      ))}
      {changes.length > SHOWN_CHANGES && <List.Item>{t('more', { count: changes.length - SHOWN_CHANGES })}</List.Item>}
    </List>
  );
}

/**
 * Who did it: a staff member by name; a business by its name and its API key's (entries written
 * before the trail kept them name it "organization <id>").
 */
function actorName(t: (key: string) => string, a: AuditEvent['actor']): string {
  return `${a.name ?? a.id ?? '—'} (${t(`kinds.${a.kind}`)})`;
}

function Row({ e, onActor, onRecord }: { e: AuditEvent; onActor: () => void; onRecord: () => void }) {
  const { t } = useTranslation('auditTrail');
  const who = actorName(t, e.actor);
  return (
    <Table.Tr>
      <Table.Td>{dateTime(e.occurredAt)}</Table.Td>
      <Table.Td>
        <Text size="sm">{who}</Text>
        {e.actor.id && (
          <Button size="compact-xs" variant="subtle" onClick={onActor}>
            {t('byActor', { name: e.actor.name ?? e.actor.id })}
          </Button>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t(`entities.${e.entity}`, { defaultValue: e.entity })}</Text>
        <Button size="compact-xs" variant="subtle" onClick={onRecord}>
          {t('byRecord', { id: e.entityId.slice(0, 8) })}
        </Button>
      </Table.Td>
      <Table.Td>
        {t(`actions.${e.action}`, { defaultValue: e.action })} <Code>{e.action}</Code>
      </Table.Td>
      <Table.Td>
        <Changes e={e} />
      </Table.Td>
      <Table.Td>{e.reason ?? ''}</Table.Td>
    </Table.Tr>
  );
}

/** The audit trail, oldest first, by record (type and id) or by actor; paged by the API's cursor. */
export default function AuditPage() {
  const { t } = useTranslation('auditTrail');
  const [entity, setEntity] = useState('');
  const [idText, setId] = useState('');
  const [actorText, setActor] = useState('');
  const [id] = useDebouncedValue(idText.trim(), 300);
  const [actor] = useDebouncedValue(actorText.trim(), 300);
  const pages = usePages(['audit', entity, id, actor], async (cursor) =>
    unwrap(
      await api.GET('/audit', {
        params: {
          query: {
            limit: 20,
            cursor,
            ...(entity ? { entity } : {}),
            ...(id ? { id } : {}),
            ...(actor ? { actor } : {}),
          },
        },
      }),
    ),
  );
  const clear = () => (setEntity(''), setId(''), setActor(''));
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <NativeSelect
          label={t('entity')}
          value={entity}
          onChange={(e) => setEntity(e.currentTarget.value)}
          data={[
            { value: '', label: t('common:all') },
            ...ENTITIES.map((e) => ({ value: e, label: t(`entities.${e}`) })),
          ]}
        />
        <TextInput label={t('recordId')} value={idText} onChange={(e) => setId(e.currentTarget.value)} />
        <TextInput label={t('actorId')} value={actorText} onChange={(e) => setActor(e.currentTarget.value)} />
        <Button variant="default" onClick={clear}>
          {t('clear')}
        </Button>
      </Group>
      <Paged pages={pages}>
        <ListTable
          label={t('title')}
          headers={['when', 'actor', 'record', 'action', 'changes', 'reason'].map((h) => t(h))}
        >
          {pages.rows.map((e) => (
            <Row
              key={e.id}
              e={e}
              onActor={() => setActor(e.actor.id ?? '')}
              onRecord={() => (setEntity(e.entity), setId(e.entityId))}
            />
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}
