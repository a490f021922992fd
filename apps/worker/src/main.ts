import 'reflect-metadata';
import { ConfigurationError, loadEnv } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { createWorker } from './worker.js';

/** A queue worker on its own (scale-out: several of these on one Redis and one PostgreSQL). */
async function main(): Promise<void> {
  const env = loadEnv();
  const log = (line: string): void => console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'worker', msg: line }));
  const runtime = await prepareRuntime(env, { allowEmbedded: false, log });
  const worker = await createWorker(env, runtime.databaseUrl, runtime.backend);
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`${signal}: finishing in-flight jobs`);
    setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref();
    await worker.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  log('TĐC LIMS worker started');
}

main().catch((e: unknown) => {
  if (e instanceof ConfigurationError) console.error(e.message);
  else console.error(`Start-up failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
