import { Button, Group, Paper, SegmentedControl, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ROUTES } from '../../app/routes';
import { DateField } from '../../ui/DateField';
import { fieldError, unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import { CustomerPicker, type Customer } from './CustomerPicker';
import { toItem, type ItemDraft } from './walk-in';
import { WalkInItems } from './WalkInItems';

type Place = components['schemas']['CreateRequestDto']['place'];

/** Reception registers a walk-in customer's request: the customer, the instruments and services, where and when. */
export default function NewRequestPage() {
  const { t } = useTranslation('reception');
  const navigate = useNavigate();
  const client = useQueryClient();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [items, setItems] = useState<ItemDraft[]>([]);
  const [place, setPlace] = useState<Place>('lab');
  const [siteAddress, setSiteAddress] = useState('');
  const [preferredDate, setPreferredDate] = useState('');
  const submit = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/requests', {
          body: {
            organizationId: customer!.id,
            place,
            siteAddress: place === 'on_site' ? siteAddress : undefined,
            preferredDate: preferredDate || undefined,
            items: items.map(toItem),
          },
        }),
      ),
    onSuccess: async (request) => {
      notifications.show({ message: t('walkIn.created', { number: request.number }) });
      await client.invalidateQueries({ queryKey: ['requests'] });
      void navigate(ROUTES.deskRequest(request.id));
    },
  });
  return (
    <Stack>
      <Title order={2}>{t('walkIn.title')}</Title>
      <CustomerPicker value={customer} onChange={setCustomer} />
      {customer && <WalkInItems ownerId={customer.id} items={items} onChange={setItems} error={submit.error} />}
      <Paper withBorder p="md">
        <Group align="end">
          <SegmentedControl
            aria-label={t('place')}
            value={place}
            onChange={(v) => setPlace(v as Place)}
            data={[
              { value: 'lab', label: t('walkIn.lab') },
              { value: 'on_site', label: t('walkIn.onSite') },
            ]}
          />
          {place === 'on_site' && (
            <TextInput
              label={t('walkIn.siteAddress')}
              w={320}
              value={siteAddress}
              error={fieldError(submit.error, 'siteAddress')}
              onChange={(e) => setSiteAddress(e.currentTarget.value)}
            />
          )}
          <DateField
            label={t('walkIn.preferredDate')}
            value={preferredDate}
            onChange={setPreferredDate}
            clearable
            error={fieldError(submit.error, 'preferredDate')}
          />
        </Group>
      </Paper>
      <ProblemAlert error={submit.error} />
      <Button
        w="fit-content"
        onClick={() => submit.mutate()}
        loading={submit.isPending}
        disabled={!customer || items.length === 0}
      >
        {t('walkIn.submit')}
      </Button>
    </Stack>
  );
}
