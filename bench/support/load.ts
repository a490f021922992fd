// HTTP load for the benchmarks, generated off the main thread (a worker thread, or wrk when it is
// installed) so that it does not share an event loop with the server it measures.
import { spawn, spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds, from when a request was due (open loop) or sent (closed loop) to its last byte. */
  p50: number;
  p99: number;
  tool: 'node' | 'wrk';
}

/** The generator, as plain CommonJS for an eval'd worker thread. */
const GENERATOR = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, connections, seconds, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL(url);
const latencies = [];
let errors = 0;
let inFlight = 0;
const started = performance.now();
const until = started + seconds * 1000;
function send(due, again) {
  inFlight++;
  const req = http.get({ host: target.hostname, port: target.port, path: target.pathname, agent }, (res) => {
    res.on('data', () => {});
    res.on('end', () => {
      inFlight--;
      if (res.statusCode !== 200) errors++;
      latencies.push(performance.now() - due);
      if (again && performance.now() < until) send(performance.now(), true);
      else if (performance.now() >= until && inFlight === 0) finish();
    });
  });
  req.on('error', () => {
    inFlight--;
    errors++;
    if (again && performance.now() < until) send(performance.now(), true);
    else if (performance.now() >= until && inFlight === 0) finish();
  });
}
let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  agent.destroy();
  parentPort.postMessage({ latencies, errors, seconds: (performance.now() - started) / 1000 });
}
if (rate) {
  // Open loop: request i is due at started + i / rate, whatever the answers before it.
  let sent = 0;
  const tick = () => {
    const now = performance.now();
    const dueCount = Math.min(Math.floor(((Math.min(now, until) - started) * rate) / 1000), Math.floor(seconds * rate));
    while (sent < dueCount) send(started + (sent++ * 1000) / rate, false);
    if (now < until) setTimeout(tick, 1);
    else if (inFlight === 0) finish();
  };
  tick();
} else {
  for (let i = 0; i < connections; i++) send(performance.now(), true);
}
`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Closed loop (`rate` absent: every connection sends its next request as soon as it has the answer) or open loop at `rate` req/s. */
export async function nodeLoad(
  url: string,
  options: { connections: number; seconds: number; rate?: number },
): Promise<LoadResult> {
  const worker = new Worker(GENERATOR, { eval: true, workerData: { url, ...options } });
  const out = await new Promise<{ latencies: number[]; errors: number; seconds: number }>((ok, fail) => {
    worker.once('message', ok);
    worker.once('error', fail);
  });
  await worker.terminate();
  const sorted = out.latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors: out.errors,
    seconds: out.seconds,
    perSecond: sorted.length / out.seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    tool: 'node',
  };
}

export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;
}

function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** Closed-loop throughput with wrk (2 threads), run asynchronously: the server measured may be in this process. */
export async function wrkLoad(url: string, options: { connections: number; seconds: number }): Promise<LoadResult> {
  const child = spawn('wrk', ['-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', url]);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  if (code !== 0) throw new Error(`wrk failed: ${stderr}`);
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return {
    requests,
    errors,
    seconds: options.seconds,
    perSecond,
    p50: wrkMs(/ 50%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    p99: wrkMs(/ 99%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    tool: 'wrk',
  };
}
