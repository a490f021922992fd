import { Alert, Checkbox, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../../app/session';
import { fieldError } from '../../ui/problem';
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

/** What an account says about its person: full name, e-mail, roles. */
export interface Account {
  fullName: string;
  email: string;
  roles: StaffRole[];
}

/** The name, e-mail and roles of an account, created or changed; `children` come first (the username). */
export function AccountFields(props: {
  value: Account;
  onChange: (a: Account) => void;
  error: unknown;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation('staff');
  const { value, onChange } = props;
  const err = (f: string) => fieldError(props.error, f);
  return (
    <>
      <Group align="start">
        {props.children}
        <TextInput
          label={t('fullName')}
          required
          value={value.fullName}
          error={err('fullName')}
          onChange={(e) => onChange({ ...value, fullName: e.currentTarget.value })}
        />
        <TextInput
          label={t('email')}
          value={value.email}
          error={err('email')}
          onChange={(e) => onChange({ ...value, email: e.currentTarget.value })}
        />
      </Group>
      <RolesField value={value.roles} onChange={(roles) => onChange({ ...value, roles })} error={err('roles')} />
    </>
  );
}
