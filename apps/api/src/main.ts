import 'reflect-metadata';
import { ConfigurationError, loadEnv, setLogService } from '#libs/core';
import { prepareRuntime, ProcessLifecycle } from '#libs/platform';
import { createApi } from './api.js';
import { createWorker } from '../../worker/src/worker.js';

/**
 * `node dist/apps/api/src/main.js` serves HTTP; with `--with-worker` (what `npm start` does) the
 * queue worker runs in the same process, for a single-machine centre. SIGTERM/SIGINT finish
 * in-flight requests and jobs, stop the embedded database if one was started, and exit 0.
 */
function main(): void {
  const withWorker = process.argv.includes('--with-worker');
  const service = withWorker ? 'lims' : 'api';
  setLogService(service);
  const env = loadEnv();
  const log = (line: string): void => console.log(JSON.stringify({ level: 30, time: Date.now(), service, msg: line }));
  const lifecycle = new ProcessLifecycle(log, env.SHUTDOWN_TIMEOUT_MS).listen();
  lifecycle.start(async () => {
    const runtime = await prepareRuntime(env, { allowEmbedded: true, log, seedCatalogueIfEmpty: true });
    lifecycle.own('database', () => runtime.stop());
    if (lifecycle.stopping) return;
    if (withWorker) {
      const worker = await createWorker(env, runtime.dataSource, runtime.backend);
      lifecycle.own('worker', () => worker.close());
      if (lifecycle.stopping) return;
    }
    const app = await createApi(env, runtime.dataSource, runtime.backend);
    lifecycle.own('api', () => app.close());
    if (lifecycle.stopping) return;
    await app.listen(env.PORT, env.HOST);
    log(
      `TĐC LIMS API listening on http://${env.HOST}:${env.PORT} (docs at /docs)${withWorker ? ' with the worker in-process' : ''}`,
    );
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
