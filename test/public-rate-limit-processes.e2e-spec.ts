// Two API processes on one PostgreSQL and one Redis share the public verification routes' rate
// limit (rate-limiter-flexible in Redis): a client gets PUBLIC_RATE_LIMIT answers in all, whichever
// process answers, not that many from each. (public-rate-limit.spec.ts shows two limiters in one
// process; this is the deployment: separate processes started from dist/.)
import { randomInt } from 'node:crypto';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/database.js';
import { freePort, startEntrypoint, stopAll, waitUntilReady } from './support/processes.js';

/** A Redis database of its own for the entrypoints' default queue prefix (as the startup test does). */
function redisUrlForEntrypoints(): string {
  const url = new URL(TEST_REDIS_URL);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/13';
  return url.toString();
}

describe('public rate limit across two API processes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await stopAll();
    await db?.drop();
  });

  it('the count is shared through Redis: the limit holds for both processes together', async () => {
    const env = (port: number, dir: string): Record<string, string> => ({
      DATABASE_URL: db.url,
      REDIS_URL: redisUrlForEntrypoints(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: `/tmp/tdc-test-data/${db.name}-${dir}`,
      PUBLIC_RATE_LIMIT: '4',
      PUBLIC_RATE_LIMIT_WINDOW_MS: '600000',
      // Production waits 10 ms for Redis, then counts in this process alone; on a loaded test machine
      // Redis can be slower than that, and the two processes would then count apart.
      PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '1000',
      // The client is named by X-Forwarded-For: an address of this run's own, so that no other run
      // (same Redis database, same default prefix) shares its count.
      TRUST_PROXY: 'loopback',
    });
    const ports = [await freePort(), await freePort()];
    // One after the other: the first runs the migrations.
    const first = startEntrypoint('api', env(ports[0]!, 'a'));
    await waitUntilReady(first, ports[0]!, 60000);
    const second = startEntrypoint('api', env(ports[1]!, 'b'));
    await waitUntilReady(second, ports[1]!, 60000);

    const hex = (): string => randomInt(1, 0xffff).toString(16);
    const client = `2001:db8::${hex()}:${hex()}`;
    const ask = async (port: number): Promise<number> => {
      const res = await fetch(`http://127.0.0.1:${port}/public/certificates/KĐ-2026-000001`, {
        headers: { 'x-forwarded-for': client },
      });
      await res.arrayBuffer();
      return res.status;
    };
    const statuses: number[] = [];
    for (const port of [ports[0], ports[1], ports[0], ports[1], ports[0], ports[1]]) statuses.push(await ask(port!));
    // 404: no such certificate, counted all the same. Four answers in all; each process alone would give four.
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  }, 180000);
});
