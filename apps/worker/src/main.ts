import 'reflect-metadata';
import { ConfigurationError, loadEnv } from '#libs/core';
import { prepareRuntime, ProcessLifecycle } from '#libs/platform';
import { createWorker } from './worker.js';

/**
 * A queue worker on its own (scale-out: several of these on one Redis and one PostgreSQL).
 * SIGTERM/SIGINT let in-flight jobs finish, then the process exits 0.
 */
function main(): void {
  const env = loadEnv();
  const log = (line: string): void =>
    console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'worker', msg: line }));
  const lifecycle = new ProcessLifecycle(log, env.SHUTDOWN_TIMEOUT_MS).listen();
  lifecycle.start(async () => {
    const runtime = await prepareRuntime(env, { allowEmbedded: false, log });
    lifecycle.own('database', () => runtime.stop());
    if (lifecycle.stopping) return;
    const worker = await createWorker(env, runtime.dataSource, runtime.backend);
    lifecycle.own('worker', () => worker.close());
    log('TĐC LIMS worker started');
  });
}

try {
  main();
} catch (e) {
  console.error(
    e instanceof ConfigurationError ? e.message : `Start-up failed: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
}
