import { Anchor, Badge, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { ConfirmDialog } from '../../ui/confirm';
import { dateTime } from '../../ui/format';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { Authorisations } from './Authorisations';
import { AccountFields, type Account } from './AccountFields';
import './i18n';

type User = components['schemas']['UserView'];

function useSaveUser(user: User) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['UpdateUserDto']) =>
      unwrap(await api.PATCH('/users/{id}', { params: { path: { id: user.id } }, body })),
    onSuccess: async (saved) => {
      client.setQueryData(['user', user.id], saved);
      await client.invalidateQueries({ queryKey: ['users'] });
    },
  });
}

/** Full name, e-mail and roles; saved in one PATCH. */
function Profile({ user }: { user: User }) {
  const { t } = useTranslation('staff');
  const [account, setAccount] = useState<Account>({
    fullName: user.fullName,
    email: user.email ?? '',
    roles: user.roles,
  });
  const save = useSaveUser(user);
  const { fullName, email, roles } = account;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('profile')}>
      <Stack>
        <Title order={3}>{t('profile')}</Title>
        <AccountFields value={account} onChange={setAccount} error={save.error} />
        <ProblemAlert error={save.error} />
        <Button
          w="fit-content"
          loading={save.isPending}
          disabled={!fullName.trim() || roles.length === 0}
          onClick={() =>
            save.mutate(
              { fullName: fullName.trim(), email: email.trim() || null, roles },
              { onSuccess: () => notifications.show({ message: t('saved') }) },
            )
          }
        >
          {t('save')}
        </Button>
      </Stack>
    </Paper>
  );
}

/** Deactivate (after a confirmation: the sessions end) or reactivate the account. */
function Activation({ user }: { user: User }) {
  const { t } = useTranslation('staff');
  const [open, setOpen] = useState(false);
  const save = useSaveUser(user);
  if (!user.active)
    return (
      <Group>
        <ProblemAlert error={save.error} />
        <Button variant="light" loading={save.isPending} onClick={() => save.mutate({ active: true })}>
          {t('reactivate')}
        </Button>
      </Group>
    );
  return (
    <>
      <Button w="fit-content" color="red" variant="light" onClick={() => setOpen(true)}>
        {t('deactivate')}
      </Button>
      <ConfirmDialog
        opened={open}
        title={t('deactivateTitle', { username: user.username })}
        confirmLabel={t('deactivate')}
        danger
        onConfirm={() =>
          save.mutate(
            { active: false },
            { onSuccess: () => (setOpen(false), notifications.show({ message: t('deactivated') })) },
          )
        }
        onClose={() => setOpen(false)}
        pending={save.isPending}
        error={save.error}
      >
        <Text size="sm">{t('deactivateHint')}</Text>
      </ConfirmDialog>
    </>
  );
}

/** The admin sets a new password (the account's sessions end). */
function ResetPassword({ user }: { user: User }) {
  const { t } = useTranslation('staff');
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/users/{id}/password', { params: { path: { id: user.id } }, body: { newPassword: password } }),
      ),
    onSuccess: () => {
      setPassword('');
      notifications.show({ message: t('resetDone') });
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={t('resetTitle')}>
      <Stack>
        <Title order={3}>{t('resetTitle')}</Title>
        <PasswordInput
          label={t('newPassword')}
          description={t('passwordHint')}
          w={360}
          value={password}
          error={fieldError(reset.error, 'newPassword')}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <ProblemAlert error={reset.error} />
        <Button
          w="fit-content"
          variant="light"
          loading={reset.isPending}
          disabled={!password}
          onClick={() => reset.mutate()}
        >
          {t('doReset')}
        </Button>
      </Stack>
    </Paper>
  );
}

/** A staff account (admin): its name, roles, state, password and authorisations. */
export default function StaffMemberPage() {
  const { t } = useTranslation('staff');
  const { userId = '' } = useParams();
  const user = useQuery({
    queryKey: ['user', userId],
    queryFn: async () => unwrap(await api.GET('/users/{id}', { params: { path: { id: userId } } })),
  });
  const u = user.data;
  return (
    <Stack>
      <Anchor component={Link} to={ROUTES.staff}>
        {t('common:back')}
      </Anchor>
      <QueryState loading={user.isLoading} error={user.error}>
        {u && (
          <Stack>
            <Group>
              <Title order={2}>
                {u.username} · {u.fullName}
              </Title>
              <Badge variant="light" color={u.active ? 'teal' : 'gray'} tt="none">
                {t(u.active ? 'states.active' : 'states.inactive')}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('lastLogin')}: {dateTime(u.lastLoginAt)}
            </Text>
            <Profile key={u.updatedAt} user={u} />
            <Authorisations user={u} />
            <ResetPassword user={u} />
            <Activation user={u} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
