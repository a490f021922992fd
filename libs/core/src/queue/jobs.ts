/**
 * Every queue and every job of TĐC LIMS, in one place. A job name maps to exactly one queue and one
 * payload type; the worker refuses to boot if a job name here has no handler, or two.
 */
export const QueueName = {
  System: 'system',
  Webhooks: 'webhooks',
  Certificates: 'certificates',
  Notices: 'notices',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Proves the API → queue → worker → database round trip. */
  'system.ping': { pingId: string };
  /** Delivers one webhook event to one endpoint (retried with exponential backoff). */
  'webhook.deliver': { deliveryId: string };
  /** Issues the certificate of an approved result revision (enqueued by libs/calibration on approval, jobId `certificate.<resultRevisionId>`). */
  'certificate.issue': { resultRevisionId: string };
  /**
   * Shows the owner the documents withheld from it (an inspector's sample, libs/testing) and sends
   * their deferred `certificate.issued` webhooks (enqueued by libs/testing on release, jobId
   * `certificate-release.<requestItemId>`).
   */
  'certificate.release_to_owner': { requestItemId: string };
  /** Finds instruments due in 60/30/7 days or overdue and sends their owners' recall notices (libs/notices; a job scheduler runs it daily). `asOf` only when staff run it for a given day. */
  'notice.recall_scan': { asOf?: string };
  /** Sends one e-mail of a notice (retried with exponential backoff; the delivery log is email_delivery). */
  'notice.email': { deliveryId: string };
}
export type JobName = keyof JobPayloads;

/** What each job's handler returns; BullMQ keeps it as the completed job's `returnvalue`. */
export interface JobResults {
  'system.ping': { pong: true };
  'webhook.deliver': { delivered: true; statusCode: number | null } | { skipped: string };
  'certificate.issue':
    | { status: 'issued' | 'exists'; certificateId: string; number: string }
    /** Another certificate is current for the result: a reviewer must amend it (`current` is its number). */
    | { status: 'amendment_required'; currentId: string; current: string };
  /** The numbers of the certificates this release showed to the owner (none when issued after it). */
  'certificate.release_to_owner': { released: string[] };
  'notice.recall_scan': { asOf: string; notices: number; instruments: number };
  'notice.email': { state: 'sent' | 'logged' | 'failed' } | { skipped: string };
}

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'system.ping': QueueName.System,
  'webhook.deliver': QueueName.Webhooks,
  'certificate.issue': QueueName.Certificates,
  'certificate.release_to_owner': QueueName.Certificates,
  'notice.recall_scan': QueueName.Notices,
  'notice.email': QueueName.Notices,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS = Object.keys(JOB_QUEUE) as JobName[];

/** BullMQ refuses ':' in custom job ids; deterministic ids are built with this. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('.');
}
