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

  /** Delivery attempts of a webhook before it is marked failed. */
  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 1 and 20' })
  @Min(1, { message: 'must be an integer between 1 and 20' })
  @Max(20, { message: 'must be an integer between 1 and 20' })
  WEBHOOK_ATTEMPTS = 8;

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
}

/** Variables with no default (absent from `new Env()`), read all the same. */
const OPTIONAL_VARS = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'ADMIN_FULL_NAME',
] as const;
/** Never echoed back in an error message. */
const SECRET_VARS = new Set<string>(['JWT_SECRET', 'ADMIN_PASSWORD']);
/** Optional in development and tests, required in production (a generated secret would differ per host). */
const REQUIRED_IN_PRODUCTION = ['JWT_SECRET'] as const;

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
  if (env.NODE_ENV === 'production') {
    for (const key of REQUIRED_IN_PRODUCTION) {
      if (env[key] === undefined && !problems.some((p) => p.startsWith(`${key} `)))
        problems.push(`${key} is required when NODE_ENV is production`);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}
