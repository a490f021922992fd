// A real queue worker process (the compiled apps/worker, as dist/apps/worker/src/main.js starts it)
// with one addition: a CertificateSource reading the drafts the test wrote to
// CERTIFICATE_TEST_DRAFTS, standing in for libs/calibration until it provides the real source.
// Queue prefix from TEST_QUEUE_PREFIX, so that it shares the queues of the test's system.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { CERTIFICATE_SOURCE, CertificateSourceError } from '#libs/certificates';
import { loadEnv } from '#libs/core';
import { prepareRuntime, ProcessLifecycle } from '#libs/platform';
import { createWorker } from '../../dist/apps/worker/src/worker.js';

const draftsFile = process.env.CERTIFICATE_TEST_DRAFTS;
const source = {
  async load(resultRevisionId) {
    const drafts = JSON.parse(readFileSync(draftsFile, 'utf8'));
    const draft = drafts[resultRevisionId];
    if (!draft) throw new CertificateSourceError(resultRevisionId, 'not_found', `no draft ${resultRevisionId}`);
    return draft;
  },
};
const sourceModule = {
  module: class TestCertificateSourceModule {},
  global: true,
  providers: [{ provide: CERTIFICATE_SOURCE, useValue: source }],
  exports: [CERTIFICATE_SOURCE],
};

const env = loadEnv();
const log = (line) => console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'worker', msg: line }));
const lifecycle = new ProcessLifecycle(log, env.SHUTDOWN_TIMEOUT_MS).listen();
lifecycle.start(async () => {
  const runtime = await prepareRuntime(env, { allowEmbedded: false, log, queuePrefix: process.env.TEST_QUEUE_PREFIX });
  lifecycle.own('database', () => runtime.stop());
  const worker = await createWorker(env, runtime.databaseUrl, runtime.backend, [sourceModule]);
  lifecycle.own('worker', () => worker.close());
  log('TĐC LIMS worker started');
});
