/**
 * Every queue and every job of TĐC LIMS, in one place. A job name maps to exactly one queue and one
 * payload type; the worker refuses to boot if a job name here has no handler, or two.
 */
export const QueueName = {
  System: 'system',
  Webhooks: 'webhooks',
  Certificates: 'certificates',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Proves the API → queue → worker → database round trip. */
  'system.ping': { pingId: string };
  /** Delivers one webhook event to one endpoint (retried with exponential backoff). */
  'webhook.deliver': { deliveryId: string };
  /** Issues the certificate of an approved result revision (enqueued by libs/calibration on approval, jobId `certificate.<resultRevisionId>`). */
  'certificate.issue': { resultRevisionId: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'system.ping': QueueName.System,
  'webhook.deliver': QueueName.Webhooks,
  'certificate.issue': QueueName.Certificates,
};

/**
 * Jobs whose handler lives in a library not merged yet: the worker boots without a handler for them
 * and does not consume a queue that holds only such jobs, so their jobs wait in the queue instead of
 * failing. Remove a name here in the commit that adds its handler.
 */
export const JOBS_AWAITING_HANDLER: readonly JobName[] = ['certificate.issue'];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS = Object.keys(JOB_QUEUE) as JobName[];

/** The queues the worker consumes: every queue with at least one job that has (or must have) a handler. */
export const CONSUMED_QUEUES: readonly QueueName[] = ALL_QUEUES.filter((q) =>
  ALL_JOBS.some((j) => JOB_QUEUE[j] === q && !JOBS_AWAITING_HANDLER.includes(j)),
);

/** BullMQ refuses ':' in custom job ids; deterministic ids are built with this. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('.');
}
