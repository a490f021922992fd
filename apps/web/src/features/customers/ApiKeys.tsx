import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { dateTime } from '../../ui/format';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import { ProblemAlert } from '../../ui/states';
import { ConfirmDialog } from '../../ui/confirm';

type ApiKey = components['schemas']['ApiKeyView'];
type CreatedKey = components['schemas']['CreatedApiKeyView'];

/** The secret of a key just created: shown here once, never again (the API keeps only its hash). */
function SecretOnce({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const { t } = useTranslation('customers');
  return (
    <Modal opened onClose={onDone} title={t('createdTitle', { name: created.name })} size="lg">
      <Stack>
        <Alert color="orange" role="alert" title={t('onlyNow')} />
        <Text size="sm">{t('secretLabel')}</Text>
        <Code block aria-label={t('secretLabel')}>
          {created.key}
        </Code>
        <Group>
          <CopyButton value={created.key}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('copied') : t('copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onDone}>{t('stored')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CreateKey({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation('customers');
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/organizations/{id}/api-keys', {
          params: { path: { id: organizationId } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: async (key) => {
      setCreated(key);
      setName('');
      await client.invalidateQueries({ queryKey: ['api-keys', organizationId] });
    },
  });
  return (
    <Stack gap="xs">
      <Group align="end">
        <TextInput label={t('keyName')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button onClick={() => create.mutate()} disabled={!name.trim()} loading={create.isPending}>
          {t('create')}
        </Button>
      </Group>
      <ProblemAlert error={create.error} />
      {created && <SecretOnce created={created} onDone={() => setCreated(null)} />}
    </Stack>
  );
}

function RevokeKey({ apiKey }: { apiKey: ApiKey }) {
  const { t } = useTranslation('customers');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/organizations/{id}/api-keys/{keyId}', {
          params: { path: { id: apiKey.organizationId, keyId: apiKey.id } },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['api-keys', apiKey.organizationId] });
    },
  });
  const label = t('revoke', { name: apiKey.name });
  return (
    <>
      <Button size="xs" variant="subtle" color="red" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog
        opened={open}
        title={label}
        confirmLabel={t('confirmRevoke')}
        onConfirm={() => revoke.mutate()}
        onClose={() => setOpen(false)}
        pending={revoke.isPending}
        error={revoke.error}
        danger
      >
        <Text>{t('revokeQuestion', { name: apiKey.name, prefix: apiKey.prefix })}</Text>
      </ConfirmDialog>
    </>
  );
}

/** A customer's API keys, newest first; create (secret shown once) and revoke for reception and admins. */
export function ApiKeys(props: { organizationId: string; edits: boolean; active: boolean }) {
  const { t } = useTranslation('customers');
  const pages = usePages(['api-keys', props.organizationId], async (cursor) =>
    unwrap(
      await api.GET('/organizations/{id}/api-keys', {
        params: { path: { id: props.organizationId }, query: { limit: 20, cursor } },
      }),
    ),
  );
  return (
    <Stack>
      <Title order={3}>{t('keys')}</Title>
      {props.edits && props.active && <CreateKey organizationId={props.organizationId} />}
      {props.edits && !props.active && <Text c="dimmed">{t('deactivated')}</Text>}
      <Paged pages={pages}>
        <ListTable
          label={t('keys')}
          headers={[...['name', 'prefix', 'created', 'lastUsed', 'keyState'].map((h) => t(h)), '']}
        >
          {pages.rows.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <Code>{k.prefix}…</Code>
              </Table.Td>
              <Table.Td>{dateTime(k.createdAt)}</Table.Td>
              <Table.Td>{k.lastUsedAt ? dateTime(k.lastUsedAt) : t('never')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={k.revokedAt ? 'gray' : 'teal'}>
                  {k.revokedAt ? t('keyRevoked', { date: dateTime(k.revokedAt) }) : t('keyActive')}
                </Badge>
              </Table.Td>
              <Table.Td>{props.edits && !k.revokedAt && <RevokeKey apiKey={k} />}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}
