import { Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { FormModal } from '../../ui/forms';
import { OwnerSelect } from '../../ui/pickers';
import { fieldError, unwrap } from '../../ui/problem';
import './i18n';

type Instrument = components['schemas']['InstrumentView'];

/** Hands the instrument to another owner with a reason (POST /instruments/{id}/transfer; audited). */
export function TransferModal({ i, opened, onClose }: { i: Instrument; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('instruments');
  const client = useQueryClient();
  const [newOwnerId, setOwner] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const transfer = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/instruments/{id}/transfer', {
          params: { path: { id: i.id } },
          body: { newOwnerId: newOwnerId ?? '', reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      notifications.show({ message: t('transferred') });
      onClose();
      await client.invalidateQueries({ queryKey: ['instrument', i.id] });
      await client.invalidateQueries({ queryKey: ['instruments'] });
    },
  });
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={t('transferTitle', { serial: i.serialNumber })}
      saveLabel={t('transfer')}
      pending={transfer.isPending}
      error={transfer.error}
      disabled={!newOwnerId || !reason.trim()}
      onSave={() => transfer.mutate()}
    >
      <Text size="sm">{t('transferHint', { owner: i.owner.name })}</Text>
      <OwnerSelect
        label={t('newOwner')}
        emptyLabel={t('choose')}
        value={newOwnerId}
        error={fieldError(transfer.error, 'newOwnerId')}
        onChange={setOwner}
      />
      <Textarea
        label={t('transferReason')}
        required
        value={reason}
        error={fieldError(transfer.error, 'reason')}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </FormModal>
  );
}
