// npm run user:create-admin -- --username <name> --full-name "<full name>" [--email <email>]
// The password comes from ADMIN_PASSWORD, or from standard input (asked for, unechoed, on a terminal).
// The database is DATABASE_URL, or, without it, the embedded one under DATA_DIR (running or not).
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createAdminAccount, validateAdminInput } from '#libs/auth';
import { ConfigurationError, DomainError, loadEnv, runningEmbeddedPostgres } from '#libs/core';
import { dataSourceOptions, prepareRuntime } from '#libs/platform';

const USAGE =
  'usage: npm run user:create-admin -- --username <name> --full-name "<full name>" [--email <email>]  (password: ADMIN_PASSWORD or stdin)';

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY) {
    const ask = async (prompt: string): Promise<string> => {
      process.stderr.write(prompt);
      const muted = new Writable({ write: (_chunk, _enc, done) => done() });
      const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
      const line = await new Promise<string>((ok) => rl.once('line', ok));
      rl.close();
      process.stderr.write('\n');
      return line;
    };
    const first = await ask('Password (at least 12 characters): ');
    if ((await ask('Again: ')) !== first) throw new Error('the two passwords differ');
    return first;
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'full-name': { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.username || !values['full-name']) throw new Error(USAGE);
  const input = {
    username: values.username,
    fullName: values['full-name'],
    email: values.email,
    password: await readPassword(),
  };
  validateAdminInput(input); // before any database is started
  // ADMIN_* are this command's input, not the start-up's first-admin variables: not validated as those.
  const env = loadEnv({
    ...process.env,
    ADMIN_USERNAME: undefined,
    ADMIN_PASSWORD: undefined,
    ADMIN_FULL_NAME: undefined,
  });
  // Beside a running `npm start`, its embedded server (already migrated) is used; otherwise the
  // database is prepared as at start-up (embedded started for this command, migrations applied).
  const running = env.DATABASE_URL ? undefined : await runningEmbeddedPostgres(env.DATA_DIR);
  const runtime = running
    ? { databaseUrl: running.url, stop: running.stop }
    : await prepareRuntime(env, { allowEmbedded: true, log: (line) => console.error(line) });
  const dataSource = new DataSource(dataSourceOptions(runtime.databaseUrl));
  try {
    await dataSource.initialize();
    const user = await createAdminAccount(dataSource, input);
    console.log(`created admin "${user.username}" (${user.id})`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await runtime.stop();
  }
}

/** Never "undefined": some libraries reject with a bare value or an Error without a message. */
function describeError(e: unknown): string {
  if (e instanceof ConfigurationError || e instanceof DomainError) return e.message;
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(describeError).join('; ');
  if (e instanceof Error) return e.message || `${e.name} (${(e as NodeJS.ErrnoException).code ?? 'no message'})`;
  return e === undefined ? 'an unexplained failure (no error was given)' : String(e);
}

main().catch((e: unknown) => {
  if (e instanceof DomainError && e.details.errors?.length) {
    console.error(`create-admin: ${e.details.errors.map((f) => f.message).join('; ')}`);
  } else {
    console.error(`create-admin: ${describeError(e)}`);
  }
  process.exit(1);
});
