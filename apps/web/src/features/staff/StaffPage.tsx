import { Anchor, Badge, Button, Group, Paper, PasswordInput, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import type { StaffRole } from '../../app/session';
import { dateTime } from '../../ui/format';
import { Paged, usePages } from '../../ui/pages';
import { FilterSelect } from '../../ui/pickers';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import { ListTable } from '../../ui/table';
import { AccountFields, ROLES, type Account } from './AccountFields';
import './i18n';

type State = 'active' | 'inactive';

/** The admin creates an account: username, full name, e-mail, roles and an initial password. */
function CreateAccount() {
  const { t } = useTranslation('staff');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [account, setAccount] = useState<Account>({ fullName: '', email: '', roles: [] });
  const { fullName, email, roles } = account;
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/users', {
          body: {
            username: username.trim(),
            fullName: fullName.trim(),
            roles,
            password,
            email: email.trim() || undefined,
          },
        }),
      ),
    onSuccess: async (user) => {
      notifications.show({ message: t('created', { username: user.username }) });
      await client.invalidateQueries({ queryKey: ['users'] });
      void navigate(ROUTES.staffMember(user.id));
    },
  });
  const err = (f: string) => fieldError(create.error, f);
  return (
    <Paper withBorder p="md" component="section" aria-label={t('create')}>
      <Stack>
        <Title order={3}>{t('create')}</Title>
        <AccountFields value={account} onChange={setAccount} error={create.error}>
          <TextInput
            label={t('username')}
            required
            value={username}
            error={err('username')}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
        </AccountFields>
        <PasswordInput
          label={t('password')}
          description={t('passwordHint')}
          required
          w={360}
          value={password}
          error={err('password')}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <ProblemAlert error={create.error} />
        <Button
          w="fit-content"
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={!username.trim() || !fullName.trim() || roles.length === 0 || !password}
        >
          {t('doCreate')}
        </Button>
      </Stack>
    </Paper>
  );
}

function Accounts() {
  const { t } = useTranslation('staff');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<StaffRole | ''>('');
  const [state, setState] = useState<State | ''>('');
  const pages = usePages(['users', q, role, state], async (cursor) =>
    unwrap(
      await api.GET('/users', {
        params: {
          query: {
            limit: 20,
            cursor,
            ...(q ? { q } : {}),
            ...(role ? { role } : {}),
            ...(state ? { active: state === 'active' } : {}),
          },
        },
      }),
    ),
  );
  return (
    <Stack>
      <Group align="end">
        <TextInput label={t('search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <FilterSelect
          label={t('role')}
          value={role}
          onChange={setRole}
          options={ROLES}
          optionLabel={(r) => t(`common:roles.${r}`)}
        />
        <FilterSelect
          label={t('activeFilter')}
          value={state}
          onChange={setState}
          options={['active', 'inactive'] as const}
          optionLabel={(s) => t(`states.${s}`)}
        />
      </Group>
      <Paged pages={pages}>
        <ListTable
          label={t('title')}
          headers={['username', 'fullName', 'roles', 'state', 'lastLogin'].map((h) => t(h))}
        >
          {pages.rows.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Anchor component={Link} to={ROUTES.staffMember(u.id)} aria-label={t('open', { name: u.username })}>
                  {u.username}
                </Anchor>
              </Table.Td>
              <Table.Td>{u.fullName}</Table.Td>
              <Table.Td>{u.roles.map((r) => t(`common:roles.${r}`)).join(', ')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={u.active ? 'teal' : 'gray'} tt="none">
                  {t(u.active ? 'states.active' : 'states.inactive')}
                </Badge>
              </Table.Td>
              <Table.Td>{dateTime(u.lastLoginAt)}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
    </Stack>
  );
}

/** The centre's staff accounts (admin): find, open, create. */
export default function StaffPage() {
  const { t } = useTranslation('staff');
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Accounts />
      <CreateAccount />
    </Stack>
  );
}
