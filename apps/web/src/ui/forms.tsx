import { Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can, useMe, type StaffRole } from '../app/session';
import './forms-i18n';
import { ProblemAlert } from './states';

/**
 * A registry form in a dialog: its fields, the API's problem in plain words (a 422's field messages
 * are also shown beside the fields by the caller, through `fieldError`), save and cancel.
 */
export function FormModal(props: {
  opened: boolean;
  title: string;
  onClose: () => void;
  onSave: () => void;
  pending: boolean;
  error: unknown;
  saveLabel?: string;
  disabled?: boolean;
  size?: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation('forms');
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} size={props.size ?? 'xl'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave();
        }}
      >
        <Stack>
          {props.children}
          <ProblemAlert error={props.error} />
          <Group>
            <Button type="submit" loading={props.pending} disabled={props.disabled}>
              {props.saveLabel ?? t('save')}
            </Button>
            <Button variant="default" onClick={props.onClose}>
              {t('cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A text field's value as the API takes an optional one: trimmed, and null when left empty. */
export function orNull(text: string): string | null {
  const v = text.trim();
  return v === '' ? null : v;
}

/** Whether the signed-in staff member has one of these roles (the API checks again on every call). */
export function useCan(...allowed: StaffRole[]): boolean {
  return can(useMe().data?.user?.roles, ...allowed);
}
