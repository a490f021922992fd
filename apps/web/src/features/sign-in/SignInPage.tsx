import { Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { writeTokens } from '../../api/session';
import { unwrap } from '../../ui/problem';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { ProblemAlert } from '../../ui/states';

/** Staff sign-in: the token pair is kept for this tab; the client refreshes it on a 401. */
export default function SignInPage({ next }: { next: string }) {
  const { t } = useTranslation('signIn');
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: async () => unwrap(await api.POST('/auth/login', { body: { username, password } })),
    onSuccess: (tokens) => {
      writeTokens(tokens);
      void navigate(next, { replace: true });
    },
  });
  return (
    <Center mih="100vh">
      <Paper withBorder p="xl" w={420} component="form" onSubmit={(e) => (e.preventDefault(), login.mutate())}>
        <Stack>
          <Group justify="space-between">
            <Title order={2}>{t('title')}</Title>
            <LanguageSwitch />
          </Group>
          <TextInput
            label={t('username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            required
            autoFocus
          />
          <PasswordInput
            label={t('password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
          />
          <ProblemAlert error={login.error} />
          <Button type="submit" loading={login.isPending}>
            {t('submit')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
