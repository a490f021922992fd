// The queue worker as dist/apps/worker/src/main.js starts it, with one difference: the queue
// prefix comes from TEST_QUEUE_PREFIX, so that it shares the queues of the test's own system.
import 'reflect-metadata';
import { loadEnv } from '#libs/core';
import { prepareRuntime, ProcessLifecycle } from '#libs/platform';
import { createWorker } from '../../dist/apps/worker/src/worker.js';

const env = loadEnv();
const log = (line) => console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'worker', msg: line }));
const lifecycle = new ProcessLifecycle(log, env.SHUTDOWN_TIMEOUT_MS).listen();
lifecycle.start(async () => {
  const runtime = await prepareRuntime(env, { allowEmbedded: false, log, queuePrefix: process.env.TEST_QUEUE_PREFIX });
  lifecycle.own('database', () => runtime.stop());
  const worker = await createWorker(env, runtime.dataSource, runtime.backend);
  lifecycle.own('worker', () => worker.close());
  log('TĐC LIMS worker started');
});
