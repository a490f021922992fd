import { closeSync, openSync, readSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  MinLength,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';
import { STAFF_USERNAME } from '../access/access.js';
import { egressAllowProblem } from '../egress/egress-allow.js';
import { decodeSecretsKey } from '../secrets/secret-box.js';
import { parseTrustProxy } from '../http/client-address.js';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the system reads. Documented in README.md and .env.example;
 * validated once at start-up so a wrong value stops the process with one clear line.
 */
export class Env {
  @IsIn(NODE_ENVS, { message: `must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toInt)
  @IsInt({ message: 'must be an integer port number between 0 and 65535' })
  @Min(0, { message: 'must be an integer port number between 0 and 65535' })
  @Max(65535, { message: 'must be an integer port number between 0 and 65535' })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** postgres://user:pass@host:port/db — absent: an embedded PostgreSQL under DATA_DIR (npm start only). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// connection URL' })
  DATABASE_URL?: string;

  /**
   * The owner's connection, used only for migrations (and the queue schema); DATABASE_URL is then
   * the application's role, which owns nothing (tdc_app or a member of it). Unset: migrations run
   * on DATABASE_URL, as before.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// connection URL' })
  MIGRATION_DATABASE_URL?: string;

  /** redis://host:port[/db] — absent: BullMQ runs on its PostgreSQL backend in the application database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Where the embedded database, generated keys and stored files live. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  RUN_MIGRATIONS = true;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 256' })
  @Min(1, { message: 'must be an integer between 1 and 256' })
  @Max(256, { message: 'must be an integer between 1 and 256' })
  WORKER_CONCURRENCY = 4;

  /** How long SIGTERM waits for in-flight requests and jobs before the process exits anyway. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1000 and 600000' })
  @Min(1000, { message: 'must be an integer number of milliseconds between 1000 and 600000' })
  @Max(600000, { message: 'must be an integer number of milliseconds between 1000 and 600000' })
  SHUTDOWN_TIMEOUT_MS = 30000;

  /** First retry delay of a failed webhook delivery; doubles on each attempt. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 10 and 3600000' })
  @Min(10, { message: 'must be an integer number of milliseconds between 10 and 3600000' })
  @Max(3600000, { message: 'must be an integer number of milliseconds between 10 and 3600000' })
  WEBHOOK_RETRY_DELAY_MS = 10000;

  /**
   * First retry delay of the other jobs (a certificate's issue, a report, the outbox's work) after a
   * transient failure (database, storage); doubles on each of their 5 attempts (≈ 30 s in all by
   * default).
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 10 and 600000' })
  @Min(10, { message: 'must be an integer number of milliseconds between 10 and 600000' })
  @Max(600000, { message: 'must be an integer number of milliseconds between 10 and 600000' })
  QUEUE_RETRY_DELAY_MS = 2000;

  /**
   * How long a queue worker's hold on a job lasts between its renewals (every half of it). A job whose
   * worker died (killed, its machine gone) is taken up again by another worker after at most about
   * twice this.
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1000 and 600000' })
  @Min(1000, { message: 'must be an integer number of milliseconds between 1000 and 600000' })
  @Max(600000, { message: 'must be an integer number of milliseconds between 1000 and 600000' })
  QUEUE_LOCK_DURATION_MS = 30000;

  /** Delivery attempts of a webhook before it is marked failed. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 20' })
  @Min(1, { message: 'must be an integer between 1 and 20' })
  @Max(20, { message: 'must be an integer between 1 and 20' })
  WEBHOOK_ATTEMPTS = 8;

  /**
   * How long a queue operation (enqueue, a job's state) may take before it gives up as "queue
   * unavailable": a request never hangs on an unreachable Redis.
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 100 and 30000' })
  @Min(100, { message: 'must be an integer number of milliseconds between 100 and 30000' })
  @Max(30000, { message: 'must be an integer number of milliseconds between 100 and 30000' })
  QUEUE_TIMEOUT_MS = 2000;

  /**
   * How often a worker reconciles the outbox with the queue: a dispatched job the queue no longer
   * has, whose effect is not there, is enqueued again (e.g. after Redis lost its data).
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 100 and 3600000' })
  @Min(100, { message: 'must be an integer number of milliseconds between 100 and 3600000' })
  @Max(3600000, { message: 'must be an integer number of milliseconds between 100 and 3600000' })
  OUTBOX_RECONCILE_INTERVAL_MS = 30000;

  /** How often a worker looks for stored certificate files that no certificate row points at. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1000 and 86400000' })
  @Min(1000, { message: 'must be an integer number of milliseconds between 1000 and 86400000' })
  @Max(86400000, { message: 'must be an integer number of milliseconds between 1000 and 86400000' })
  STORED_FILE_SWEEP_INTERVAL_MS = 3600000;

  /**
   * How old such a file must be before it is removed: longer than any issue can take between
   * writing its file and committing its row (a file re-put by a retry counts as new).
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 60000 and 2592000000' })
  @Min(60000, { message: 'must be an integer number of milliseconds between 60000 and 2592000000' })
  @Max(2592000000, { message: 'must be an integer number of milliseconds between 60000 and 2592000000' })
  STORED_FILE_GRACE_MS = 86400000;

  /**
   * Days a settled outbox row is kept (its effect done, or a newer row asks for the same job) before
   * the worker's sweeper deletes it; rows settled as failed or completed-without-effect stay, as the
   * certificate issue status reads them.
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of days between 1 and 3650' })
  @Min(1, { message: 'must be an integer number of days between 1 and 3650' })
  @Max(3650, { message: 'must be an integer number of days between 1 and 3650' })
  OUTBOX_RETENTION_DAYS = 7;

  /**
   * The national export shows only certificates issued or revoked at least this many seconds ago:
   * longer than an issuing transaction takes from its start (the row's time) to its commit, so a
   * mirror's cursor never passes a row that commits later with an earlier time.
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of seconds between 0 and 3600' })
  @Min(0, { message: 'must be an integer number of seconds between 0 and 3600' })
  @Max(3600, { message: 'must be an integer number of seconds between 0 and 3600' })
  NATIONAL_EXPORT_SETTLE_SECONDS = 60;

  /** Outbox rows one reconciliation sweep looks at, oldest first. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 10000' })
  @Min(1, { message: 'must be an integer between 1 and 10000' })
  @Max(10000, { message: 'must be an integer between 1 and 10000' })
  OUTBOX_RECONCILE_BATCH = 500;

  /**
   * HS256 key for staff access tokens (at least 32 characters). Required in production; elsewhere,
   * when absent, one is generated at first start and kept in DATA_DIR/secrets/jwt-secret.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters long' })
  JWT_SECRET?: string;

  /**
   * The first admin, created at start-up when no admin account exists yet (then ignored; remove
   * them from the environment afterwards). Both or neither. Or run `npm run user:create-admin`.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(STAFF_USERNAME, {
    message: 'must be 3 to 64 letters, digits, ".", "-" or "_", starting with a letter or digit',
  })
  ADMIN_USERNAME?: string;

  /** Password of that first admin: at least 12 characters. Never echoed in errors or logs. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters long' })
  ADMIN_PASSWORD?: string;

  /** Full name of that first admin (default: the username). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ADMIN_FULL_NAME?: string;

  /** Where issued certificate PDFs are kept (default: DATA_DIR/certificates). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  CERTIFICATE_STORAGE_DIR?: string;

  /**
   * Worker threads that render and sign certificates (libs/documents' RenderPool), so the queue
   * worker's thread, with its transactions, stays free meanwhile. Unset: the machine's cores
   * (os.availableParallelism()); 0: render on the worker's own thread. Started on the first issue.
   */
  @Transform(({ value }) => toInt({ value: emptyToUndefined({ value }) }))
  @IsOptional()
  @IsInt({ message: 'must be an integer between 0 and 64' })
  @Min(0, { message: 'must be an integer between 0 and 64' })
  @Max(64, { message: 'must be an integer between 0 and 64' })
  CERTIFICATE_RENDER_THREADS?: number;

  /**
   * With render threads: an issue waiting for its certificate series draws, signs and stores its
   * document with the number it expects to take (certificates' NumberForecast), so the series is
   * held only for the rows and the commit; a document drawn with a number not taken is drawn again.
   * false: drawn only once the number is taken (as before).
   */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  CERTIFICATE_DRAW_AHEAD = true;

  /**
   * The laboratory's signing key and certificate (PKCS#12, RSA) and its passphrase: certificates are
   * signed with them. Required in production; elsewhere, when unset, a self-signed development
   * identity is made at first start under DATA_DIR/signing.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIGNING_P12_PATH?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIGNING_P12_PASSPHRASE?: string;

  /** The address the public reaches this system at: the QR code of every certificate points below it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'must be an http(s) URL without query or fragment' })
  PUBLIC_BASE_URL?: string;

  /**
   * smtp://user:pass@host:port or smtps://… — where notices (recall, out-of-tolerance) are sent.
   * Absent: the worker writes each e-mail it would send to the log instead, and says so at start-up.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From of notices, e.g. "Trung tâm TĐC <thongbao@tdc.example.vn>". */
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  MAIL_FROM = 'TĐC LIMS <no-reply@localhost>';

  /** Sending attempts of a notice e-mail before it is marked failed (exponential backoff between). */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 20' })
  @Min(1, { message: 'must be an integer between 1 and 20' })
  @Max(20, { message: 'must be an integer between 1 and 20' })
  EMAIL_ATTEMPTS = 8;

  /** First retry delay of a failed e-mail; doubles on each attempt. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 10 and 3600000' })
  @Min(10, { message: 'must be an integer number of milliseconds between 10 and 3600000' })
  @Max(3600000, { message: 'must be an integer number of milliseconds between 10 and 3600000' })
  EMAIL_RETRY_DELAY_MS = 60000;

  /** When the recall scan runs (cron, 5 fields, Viet Nam time); one job scheduler however many workers. */
  @Matches(/^\S+( \S+){4}$/, { message: 'must be a cron pattern of 5 fields, e.g. "0 7 * * *"' })
  RECALL_SCAN_CRON = '0 7 * * *';

  /** The laboratory as printed on certificates (ISO/IEC 17025 7.8.2.1 b). */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  LABORATORY_NAME = 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng';

  /** Required in production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  LABORATORY_ADDRESS?: string;

  /** e.g. "VILAS 123" or the designation decision for legal verification. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(300)
  LABORATORY_ACCREDITATION?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  LABORATORY_PHONE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  LABORATORY_EMAIL?: string;

  /** A PNG or JPEG file: the laboratory's logo, drawn at the top left of every certificate page. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  LABORATORY_LOGO_PATH?: string;

  /** Requests a client (IP address) may make to the public verification routes per window. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 1000000' })
  @Min(1, { message: 'must be an integer between 1 and 1000000' })
  @Max(1000000, { message: 'must be an integer between 1 and 1000000' })
  PUBLIC_RATE_LIMIT = 60;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  @Min(1000, { message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  @Max(3600000, { message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  PUBLIC_RATE_LIMIT_WINDOW_MS = 60000;

  /**
   * Hosts (`hooks.lab.internal`, `10.0.0.5`) and CIDR ranges (`10.20.0.0/16`) that outgoing requests
   * (webhooks) may reach although they are not public addresses; comma-separated. Empty: only public
   * unicast addresses.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EGRESS_ALLOW?: string;

  /**
   * 32 random bytes in base64 (`openssl rand -base64 32`): seals secrets kept at rest (webhook signing
   * keys). Required in production; elsewhere generated at first start into DATA_DIR/secrets/secrets-key.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SECRETS_KEY?: string;

  /** Former SECRETS_KEY values, comma-separated: they only open what they sealed, until it is sealed again. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SECRETS_KEY_PREVIOUS?: string;

  /**
   * With REDIS_URL: how long a public request waits for Redis's count before this process counts it
   * instead (the insurance limiter), so a slow Redis cannot hold up the public lookups.
   */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1 and 1000' })
  @Min(1, { message: 'must be an integer number of milliseconds between 1 and 1000' })
  @Max(1000, { message: 'must be an integer number of milliseconds between 1 and 1000' })
  PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS = 10;

  /**
   * Which proxies may name the client in X-Forwarded-For: unset (nobody; the TCP peer is the client),
   * a number of hops, or addresses/CIDR ranges/loopback/linklocal/uniquelocal (see http/client-address.ts).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** Login attempts (right or wrong) one client address may make per LOGIN_RATE_LIMIT_WINDOW_MS. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 100000' })
  @Min(1, { message: 'must be an integer between 1 and 100000' })
  @Max(100000, { message: 'must be an integer between 1 and 100000' })
  LOGIN_RATE_LIMIT = 30;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  @Min(1000, { message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  @Max(3600000, { message: 'must be an integer number of milliseconds between 1000 and 3600000' })
  LOGIN_RATE_LIMIT_WINDOW_MS = 60000;
}

/** Variables with no default (absent from `new Env()`), read all the same. */
const OPTIONAL_VARS = [
  'SMTP_URL',
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'ADMIN_FULL_NAME',
  'CERTIFICATE_STORAGE_DIR',
  'CERTIFICATE_RENDER_THREADS',
  'SIGNING_P12_PATH',
  'SIGNING_P12_PASSPHRASE',
  'PUBLIC_BASE_URL',
  'LABORATORY_ADDRESS',
  'LABORATORY_ACCREDITATION',
  'LABORATORY_PHONE',
  'LABORATORY_EMAIL',
  'LABORATORY_LOGO_PATH',
  'EGRESS_ALLOW',
  'SECRETS_KEY',
  'SECRETS_KEY_PREVIOUS',
  'TRUST_PROXY',
] as const;
/** Never echoed back in an error message (connection URLs carry passwords). */
const SECRET_VARS = new Set<string>([
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'SIGNING_P12_PASSPHRASE',
  'SECRETS_KEY',
  'SECRETS_KEY_PREVIOUS',
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
]);
/** Optional in development and tests, required in production (a generated secret would differ per host). */
const REQUIRED_IN_PRODUCTION = [
  'JWT_SECRET',
  // Every process must open what another sealed; a generated key differs per host.
  'SECRETS_KEY',
  // A development identity would sign the laboratory's certificates with a key nobody can trust.
  'SIGNING_P12_PATH',
  'SIGNING_P12_PASSPHRASE',
  // The QR code printed on every certificate must open this system, not localhost.
  'PUBLIC_BASE_URL',
  'LABORATORY_ADDRESS',
] as const;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

function describe(error: ValidationError, raw: Record<string, unknown>): string {
  const got = raw[error.property];
  const messages = Object.values(error.constraints ?? {}).map((m) =>
    m.startsWith(error.property) ? m.slice(error.property.length + 1) : m,
  );
  const shown = SECRET_VARS.has(error.property) ? `${String(got).length} characters` : JSON.stringify(got);
  return `${error.property} ${[...new Set(messages)].join(', ')} (got ${shown})`;
}

/** What is wrong with the logo file, or undefined when it is a readable PNG or JPEG (read by its first bytes). */
export function logoFileProblem(path: string): string | undefined {
  const head = Buffer.alloc(8);
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return `LABORATORY_LOGO_PATH ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  const png = read === 8 && head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = read >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  return png || jpeg ? undefined : `LABORATORY_LOGO_PATH ${path} is not a PNG or JPEG file`;
}

/** Checks of values that class-validator cannot express; secrets are never echoed. */
function laterProblems(env: Env): string[] {
  const problems: string[] = [];
  const allowProblem = egressAllowProblem(env.EGRESS_ALLOW);
  if (allowProblem) problems.push(allowProblem);
  if (env.SECRETS_KEY !== undefined && !decodeSecretsKey(env.SECRETS_KEY))
    problems.push(
      `SECRETS_KEY must be 32 bytes in base64, e.g. from openssl rand -base64 32 (got ${env.SECRETS_KEY.length} characters)`,
    );
  const previous = (env.SECRETS_KEY_PREVIOUS ?? '').split(',').filter((k) => k.trim() !== '');
  if (previous.some((k) => !decodeSecretsKey(k)))
    problems.push('SECRETS_KEY_PREVIOUS must be comma-separated 32-byte base64 keys');
  return problems;
}

/** Reads and validates configuration from an environment map; throws ConfigurationError naming each bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const known = Object.keys(new Env()).concat(OPTIONAL_VARS);
  const raw: Record<string, unknown> = {};
  for (const key of known) if (source[key] !== undefined) raw[key] = source[key];
  const env = plainToInstance(Env, raw);
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: true });
  const problems = errors.map((e) => describe(e, raw));
  if (
    (env.ADMIN_USERNAME === undefined) !== (env.ADMIN_PASSWORD === undefined) &&
    !problems.some((p) => p.startsWith('ADMIN_'))
  ) {
    problems.push(
      env.ADMIN_USERNAME === undefined
        ? 'ADMIN_USERNAME is required with ADMIN_PASSWORD'
        : 'ADMIN_PASSWORD is required with ADMIN_USERNAME',
    );
  }
  if (
    (env.SIGNING_P12_PATH === undefined) !== (env.SIGNING_P12_PASSPHRASE === undefined) &&
    env.NODE_ENV !== 'production'
  ) {
    problems.push(
      env.SIGNING_P12_PATH === undefined
        ? 'SIGNING_P12_PATH is required with SIGNING_P12_PASSPHRASE'
        : 'SIGNING_P12_PASSPHRASE is required with SIGNING_P12_PATH',
    );
  }
  if (env.MIGRATION_DATABASE_URL !== undefined && env.DATABASE_URL === undefined)
    problems.push("DATABASE_URL is required with MIGRATION_DATABASE_URL (the application role's connection)");
  if (env.NODE_ENV === 'production') {
    for (const key of REQUIRED_IN_PRODUCTION) {
      if (env[key] === undefined && !problems.some((p) => p.startsWith(`${key} `)))
        problems.push(`${key} is required when NODE_ENV is production`);
    }
  }
  if (env.LABORATORY_LOGO_PATH !== undefined && !problems.some((p) => p.startsWith('LABORATORY_LOGO_PATH '))) {
    const problem = logoFileProblem(env.LABORATORY_LOGO_PATH);
    if (problem) problems.push(problem);
  }
  problems.push(...laterProblems(env));
  const trust = parseTrustProxy(env.TRUST_PROXY);
  if (typeof trust === 'string') problems.push(`TRUST_PROXY ${trust} (got ${JSON.stringify(env.TRUST_PROXY)})`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}
