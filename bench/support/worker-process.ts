// A queue worker process as dist/apps/worker/src/main.js starts it, with the queue prefix of a
// benchmark's own system (BENCH_QUEUE_PREFIX): the scale-out benchmark starts one or two of these.
import 'reflect-metadata';
import { loadEnv } from '#libs/core';
import { prepareRuntime, ProcessLifecycle } from '#libs/platform';
import { createWorker } from '../../apps/worker/src/worker.js';

const env = loadEnv();
const log = (line: string): void =>
  console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'worker', msg: line }));
const lifecycle = new ProcessLifecycle(log, env.SHUTDOWN_TIMEOUT_MS).listen();
lifecycle.start(async () => {
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log,
    queuePrefix: process.env.BENCH_QUEUE_PREFIX,
  });
  lifecycle.own('database', () => runtime.stop());
  const worker = await createWorker(env, runtime.dataSource, runtime.backend);
  lifecycle.own('worker', () => worker.close());
  log('TĐC LIMS worker started');
});
