import { Button, FileButton, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { saveBlob } from '../../ui/download';
import { unwrap } from '../../ui/problem';
import { ProblemAlert } from '../../ui/states';
import './i18n';

type Calibration = components['schemas']['CalibrationView'];

/** The calibration certificate's own PDF: download it when stored; upload it (or a replacement) when allowed. */
export function CertificateFile({ c, canUpload }: { c: Calibration; canUpload: boolean }) {
  const { t } = useTranslation('standards');
  const client = useQueryClient();
  const path = { id: c.standardId, calibrationId: c.id };
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('file', file);
      // The typed body is the multipart schema; the browser sends the FormData with its boundary.
      return unwrap(
        await api.PUT('/standards/{id}/calibrations/{calibrationId}/certificate', {
          params: { path },
          body: form as unknown as { file: string },
          bodySerializer: (b) => b as unknown as FormData,
        }),
      );
    },
    onSuccess: async () => {
      notifications.show({ message: t('cal.uploaded') });
      await client.invalidateQueries({ queryKey: ['standard-calibrations', c.standardId] });
    },
  });
  const download = useMutation({
    mutationFn: async () => {
      const blob = unwrap(
        await api.GET('/standards/{id}/calibrations/{calibrationId}/certificate', {
          params: { path },
          parseAs: 'blob',
        }),
      );
      saveBlob(blob, c.certificateFile?.fileName ?? `${c.certificateNumber}.pdf`);
    },
  });
  return (
    <Group gap="xs">
      {c.certificateFile && (
        <Button
          size="xs"
          variant="light"
          loading={download.isPending}
          onClick={() => download.mutate()}
          aria-label={t('cal.download', { number: c.certificateNumber })}
        >
          PDF
        </Button>
      )}
      {canUpload && (
        <FileButton accept="application/pdf" onChange={(f) => f && upload.mutate(f)}>
          {(props) => (
            <Button
              {...props}
              size="xs"
              variant="subtle"
              loading={upload.isPending}
              aria-label={t('cal.upload', { number: c.certificateNumber })}
            >
              {t('cal.file')}
            </Button>
          )}
        </FileButton>
      )}
      <ProblemAlert error={upload.error ?? download.error} />
    </Group>
  );
}
