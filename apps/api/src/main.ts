import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigurationError, loadEnv, setLogService } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { createApi } from './api.js';
import { createWorker } from '../../worker/src/worker.js';

/**
 * `node dist/apps/api/src/main.js` serves HTTP; with `--with-worker` (what `npm start` does) the
 * queue worker runs in the same process, for a single-machine centre.
 */
async function main(): Promise<void> {
  const withWorker = process.argv.includes('--with-worker');
  const service = withWorker ? 'lims' : 'api';
  setLogService(service);
  const env = loadEnv();
  const log = (line: string): void => console.log(JSON.stringify({ level: 30, time: Date.now(), service, msg: line }));
  const runtime = await prepareRuntime(env, { allowEmbedded: true, log, seedCatalogueIfEmpty: true });
  const closables: INestApplicationContext[] = [];
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: finishing in-flight requests and jobs`);
    const timer = setTimeout(() => {
      log(`shutdown took longer than ${env.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    for (const c of closables.reverse()) await c.close().catch((e: unknown) => log(`close failed: ${String(e)}`));
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    if (withWorker) closables.push(await createWorker(env, runtime.databaseUrl, runtime.backend));
    const app = await createApi(env, runtime.databaseUrl, runtime.backend);
    closables.push(app);
    await app.listen(env.PORT, env.HOST);
    log(`TĐC LIMS API listening on http://${env.HOST}:${env.PORT} (docs at /docs)${withWorker ? ' with the worker in-process' : ''}`);
  } catch (e) {
    await runtime.stop();
    throw e;
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigurationError) console.error(e.message);
  else console.error(`Start-up failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
