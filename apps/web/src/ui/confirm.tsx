import { Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './states';

/** A dialog that asks before a change: what it is about, the API's problem if it failed, confirm or cancel. */
export function ConfirmDialog(props: {
  opened: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
  disabled?: boolean;
  danger?: boolean;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        {props.children}
        <ProblemAlert error={props.error} />
        <Group>
          <Button
            color={props.danger ? 'red' : undefined}
            onClick={props.onConfirm}
            disabled={props.disabled}
            loading={props.pending}
          >
            {props.confirmLabel}
          </Button>
          <Button variant="default" onClick={props.onClose}>
            {t('cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
