import { Anchor, Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ROUTES } from '../../app/routes';
import { Paged, usePages } from '../../ui/pages';
import { unwrap } from '../../ui/problem';
import { ListTable } from '../../ui/table';
import './i18n';

/** On a type's page: its worksheet templates (paged), each opened to edit; a new one (admins, technicians). */
export function TemplatesSection({ typeId, editor }: { typeId: string; editor: boolean }) {
  const { t } = useTranslation('templates');
  const pages = usePages(['templates', typeId], async (cursor) =>
    unwrap(
      await api.GET('/calibration-templates', { params: { query: { instrumentTypeId: typeId, limit: 20, cursor } } }),
    ),
  );
  return (
    <Stack gap="xs" component="section" aria-label={t('section')}>
      <Title order={3}>{t('section')}</Title>
      <Text size="sm" c="dimmed">
        {t('sectionHint')}
      </Text>
      <Paged pages={pages}>
        <ListTable label={t('section')} headers={['name', 'services', 'procedure', 'points', 'state'].map((h) => t(h))}>
          {pages.rows.map((tpl) => (
            <Table.Tr key={tpl.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={ROUTES.template(typeId, tpl.id)}
                  aria-label={t('open', { name: tpl.name })}
                >
                  {tpl.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{tpl.services.map((s) => t(`common:service.${s}`)).join(', ')}</Table.Td>
              <Table.Td>{[tpl.procedure.code, tpl.procedure.version].filter(Boolean).join(':')}</Table.Td>
              <Table.Td>{tpl.points.length}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={tpl.active ? 'teal' : 'gray'} tt="none">
                  {t(tpl.active ? 'active' : 'inactive')}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Paged>
      {editor && (
        <Button component={Link} to={ROUTES.template(typeId, 'new')} variant="light" w="fit-content">
          {t('create')}
        </Button>
      )}
    </Stack>
  );
}
