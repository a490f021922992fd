/** Events an organization can subscribe to. */
export const WEBHOOK_EVENTS = [
  'request.status_changed',
  'item.status_changed',
  'certificate.issued',
  /** A certificate was withdrawn (thu hồi); a verification's instrument is unverified from that date. */
  'certificate.revoked',
  /** An amendment replaced a certificate: it now reads "superseded by" the new number (certificate.issued comes too). */
  'certificate.superseded',
  /** Recall notice: the organization's instruments due in 60/30/7 days or overdue, one event per period (libs/notices). */
  'instrument.due',
  /** A standard the centre used was found out of tolerance: the organization's certificates issued with it since its last good check. */
  'standard.out_of_tolerance',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const SIGNATURE_HEADER = 'X-TDC-Signature';
export const SIGNATURE_VERSION = 'v1';
