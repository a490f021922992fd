import { Alert, Checkbox, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../../app/session';
import './i18n';

export const ROLES: StaffRole[] = ['admin', 'reception', 'technician', 'reviewer', 'inspector'];

/**
 * The roles of an account as checkboxes. When one person is given both technician and reviewer, the
 * screen says that they will never approve their own measurement (the API refuses self-approval).
 */
export function RolesField(props: { value: StaffRole[]; onChange: (roles: StaffRole[]) => void; error?: string }) {
  const { t } = useTranslation('staff');
  const both = props.value.includes('technician') && props.value.includes('reviewer');
  return (
    <>
      <Checkbox.Group
        label={t('roles')}
        value={props.value}
        onChange={(v) => props.onChange(ROLES.filter((r) => v.includes(r)))}
        error={props.error}
      >
        <Group mt={4}>
          {ROLES.map((r) => (
            <Checkbox key={r} value={r} label={t(`common:roles.${r}`)} />
          ))}
        </Group>
      </Checkbox.Group>
      {both && (
        <Alert color="yellow" role="note">
          {t('twoHats')}
        </Alert>
      )}
    </>
  );
}
