import { Alert, Button, Center, Group, List, Loader, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { needErrorTexts, useErrorTexts } from '../i18n';
import { ProblemError } from './problem';
import { problemText } from './problem-text';

/**
 * A problem in plain words, in the active language: the text of its code, each field it names with
 * the text of the constraint it failed; the API's own words for what has no text here.
 */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const texts = useErrorTexts();
  useEffect(() => {
    if (error) needErrorTexts();
  }, [error]);
  if (!error) return null;
  const p = problemText(error instanceof ProblemError ? error.problem : { title: String(error) }, texts);
  return (
    <Alert color="red" title={p.title ?? t('problem')} role="alert">
      {p.detail && <Text size="sm">{p.detail}</Text>}
      {p.fields.length > 0 && (
        <List size="sm">
          {p.fields.map((e) => (
            <List.Item key={e.field + e.message}>{e.translated ? `${e.field}: ${e.message}` : e.message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** Loading, failed or empty, else the content. */
export function QueryState(props: { loading: boolean; error: unknown; empty?: boolean; children: React.ReactNode }) {
  const { t } = useTranslation();
  if (props.loading)
    return (
      <Center p="md" role="status" aria-label={t('loading')}>
        <Loader size="sm" />
      </Center>
    );
  if (props.error) return <ProblemAlert error={props.error} />;
  if (props.empty) return <Text c="dimmed">{t('empty')}</Text>;
  return <>{props.children}</>;
}

/** "Show more": the next page by the API's cursor (no page loads more than it shows). */
export function MoreButton(props: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  const { t } = useTranslation();
  if (!props.hasMore) return null;
  return (
    <Group justify="center" mt="sm">
      <Button variant="light" loading={props.loading} onClick={props.onMore}>
        {t('more')}
      </Button>
    </Group>
  );
}
