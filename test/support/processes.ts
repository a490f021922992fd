import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Env } from '#libs/core';

/** The repository root (this file is test/support/processes.ts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The compiled entrypoints: `npm test` builds them first (pretest). */
export const ENTRYPOINTS = {
  api: resolve(ROOT, 'dist/apps/api/src/main.js'),
  worker: resolve(ROOT, 'dist/apps/worker/src/main.js'),
} as const;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  hasExited(): boolean;
}

const running = new Set<RunningProcess>();

/** The variables the application reads: never inherited from the environment jest runs in. */
const APP_VARIABLES = [...Object.keys(new Env()), 'DATABASE_URL', 'MIGRATION_DATABASE_URL', 'REDIS_URL'];

/**
 * Starts a compiled entrypoint with exactly the application variables given (plus PATH, HOME…).
 * NODE_OPTIONS is dropped too (jest's --experimental-vm-modules would print a warning on stderr).
 * The child leads its own process group, so that stopAll() also reaches the embedded PostgreSQL.
 */
export function startEntrypoint(
  which: keyof typeof ENTRYPOINTS,
  env: Record<string, string>,
  args: string[] = [],
): RunningProcess {
  const script = ENTRYPOINTS[which];
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  return startScript(script, env, args);
}

/** startEntrypoint for any Node script (e.g. a test's own variant of an entrypoint), same rules. */
export function startScript(script: string, env: Record<string, string>, args: string[] = []): RunningProcess {
  const inherited = { ...process.env };
  for (const key of [...APP_VARIABLES, 'NODE_OPTIONS']) delete inherited[key];
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let done = false;
  const exited = new Promise<Exit>((ok) =>
    child.once('exit', (code, signal) => {
      done = true;
      ok({ code, signal });
    }),
  );
  const proc: RunningProcess = { child, stdout: () => out, stderr: () => err, exited, hasExited: () => done };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Rejects with a message naming `what` when `promise` takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops every process started by startEntrypoint that is still running: SIGTERM, then after
 * `graceMs` SIGKILL to its whole process group. For afterEach/afterAll, whatever the test did.
 */
export async function stopAll(graceMs = 10000): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      if (proc.hasExited()) return;
      proc.child.kill('SIGTERM');
      try {
        await within(proc.exited, graceMs, 'graceful stop');
      } catch {
        try {
          process.kill(-(proc.child.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
        await within(proc.exited, 5000, 'SIGKILL').catch(() => undefined);
      }
    }),
  );
}

/** A TCP port that was free a moment ago (the app cannot report the port it got from PORT=0). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Waits until stdout has a line matching `pattern`; fails early if the process exits. */
export async function waitForOutput(
  proc: RunningProcess,
  pattern: RegExp,
  timeoutMs = 30000,
): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = proc.stdout().match(pattern);
    if (found) return found;
    if (proc.hasExited()) throw new Error(`process exited before printing ${pattern}; stderr: ${proc.stderr()}`);
    if (Date.now() > until) throw new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${proc.stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ReadyBody {
  status: string;
  details: Record<string, { status: string; backend?: string }>;
}

/** Polls GET /health/ready until it answers 200; fails early if the process exits. */
export async function waitUntilReady(proc: RunningProcess, port: number, timeoutMs = 30000): Promise<ReadyBody> {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (proc.hasExited()) throw new Error(`process exited before it was ready; stderr: ${proc.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) });
      const text = await res.text();
      if (res.status === 200) return JSON.parse(text) as ReadyBody;
      last = `${res.status} ${text}`;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > until)
      throw new Error(`not ready within ${timeoutMs} ms (last: ${last}); stdout: ${proc.stdout()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Pids of the processes whose command line contains `text` (e.g. a DATA_DIR). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
