import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, within } from './processes.js';

/**
 * A redis-server of the test's own, on a free port, with nothing persisted (`--save ""`, no AOF): a
 * test may stop it, start it again (empty, as a Redis restarted without its data) and FLUSHALL it,
 * which it must never do to the shared Redis on 6379.
 */
export interface OwnRedis {
  url: string;
  port: number;
  /** SIGTERM and wait for the process to exit; the port is then refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty) and waits until it answers; nothing when it runs. */
  start(): Promise<void>;
  flushAll(): Promise<void>;
}

const REDIS_SERVER = process.env.TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

async function answers(port: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > until) throw new Error(`redis-server on ${port} did not answer within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await answers(port);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGTERM');
      await within(exited, 10_000, 'redis-server stop');
    },
    start: launch,
    async flushAll() {
      const client = new Redis({ port, host: '127.0.0.1' });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
  };
}
