import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CertificateModelError } from './certificate-model.js';
import type { RenderReply, RenderTask, SerializedError } from './render-worker.js';
import {
  produceSignedCertificate,
  type SignedCertificate,
  type SignedCertificateRequest,
} from './signed-certificate.js';

export interface RenderPoolOptions {
  /** Render threads; 0 renders on the calling thread. Default: `os.availableParallelism()`. */
  threads?: number;
  /** The compiled thread file; default `renderWorkerFile()`. */
  workerFile?: string;
  /** Where the pool says how it renders: the threads it started, or why it renders on the calling thread. */
  log: (level: 'log' | 'warn', message: string) => void;
}

/** `threads` once started; `in-thread` when configured with 0 threads or when the threads could not start. */
export type RenderPoolMode = 'not started' | 'threads' | 'in-thread' | 'closed';

interface Pending {
  id: number;
  request: SignedCertificateRequest;
  urgent: boolean;
  resolve: (value: SignedCertificate) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  busy?: Pending;
  /** Identities (by fingerprint) this thread has been sent. */
  identities: Set<string>;
}

const here = fileURLToPath(import.meta.url);
const FROM_SOURCES = here.endsWith('.ts');

/**
 * The compiled thread file: beside this module in the build (dist/libs/documents/src); from the
 * sources (ts-jest), the build's copy, since a worker thread cannot load TypeScript.
 */
export function renderWorkerFile(): string {
  return FROM_SOURCES
    ? join(dirname(here), '..', '..', '..', 'dist', 'libs', 'documents', 'src', 'render-worker.js')
    : join(dirname(here), 'render-worker.js');
}

/**
 * Renders, signs and hashes certificates (produceSignedCertificate) in worker threads, so that the
 * thread that calls it — the queue worker's, with its database transactions — stays free while a
 * certificate is drawn. Threads start on the first render, not before; each takes one certificate at
 * a time. With 0 threads, or when the thread file is missing (or, from the sources, older than
 * them) or no thread starts, it renders on the calling thread, and says why through `log`. A thread
 * that dies fails its certificate (the caller retries) and is replaced. `close()` lets the
 * certificates already sent finish, then stops the threads; later renders run on the calling
 * thread. Idle threads do not keep the process alive.
 */
export class RenderPool {
  private state: RenderPoolMode = 'not started';
  private readonly threads: Thread[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private drained?: () => void;

  constructor(private readonly options: RenderPoolOptions) {}

  get mode(): RenderPoolMode {
    return this.state;
  }

  /** How many threads are running (or starting). */
  get size(): number {
    return this.threads.length;
  }

  /**
   * Renders, signs and hashes `request`. `urgent`: ahead of the certificates waiting for a thread
   * (not of those a thread is drawing) — for a caller that holds something others wait for (a
   * certificate series), when the waiting ones are only drawn ahead of time.
   */
  render(request: SignedCertificateRequest, options: { urgent?: boolean } = {}): Promise<SignedCertificate> {
    if (this.state === 'not started') this.start();
    if (this.state !== 'threads') return produceSignedCertificate(request);
    return new Promise((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, request, urgent: options.urgent === true, resolve, reject };
      // Urgent ones in the order they came, before every other.
      const at = pending.urgent ? this.waiting.findIndex((p) => !p.urgent) : -1;
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, pending);
      this.dispatch();
    });
  }

  /** Whether renders run beside the calling thread (started threads), not on it. */
  get rendersAside(): boolean {
    return this.state === 'threads';
  }

  /** Waits for the certificates already sent to the threads, then stops them. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await new Promise<void>((resolve) => {
      this.drained = resolve;
      this.settleIfDrained();
    });
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private start(): void {
    const count = this.options.threads ?? availableParallelism();
    if (count === 0) {
      this.state = 'in-thread';
      this.options.log('log', 'certificates are rendered on the calling thread (0 render threads configured)');
      return;
    }
    const file = this.options.workerFile ?? renderWorkerFile();
    const problem = workerFileProblem(file, this.options.workerFile === undefined);
    if (problem) return this.fallBack(problem);
    this.state = 'threads';
    for (let i = 0; i < count; i++) this.spawn(file);
    this.options.log('log', `certificates are rendered in ${count} worker thread(s) (${file})`);
  }

  private spawn(file: string): void {
    const thread: Thread = { worker: new Worker(file), ready: false, identities: new Set() };
    thread.worker.unref();
    thread.worker.on('message', (m: RenderReply) => this.onMessage(thread, m));
    thread.worker.on('error', (e) => this.onExit(thread, file, e));
    thread.worker.on('exit', (code) => this.onExit(thread, file, new Error(`exited with code ${code}`)));
    this.threads.push(thread);
  }

  private onMessage(thread: Thread, m: RenderReply): void {
    if ('ready' in m) {
      thread.ready = true;
    } else if (thread.busy?.id === m.id) {
      const task = thread.busy;
      thread.busy = undefined;
      thread.worker.unref();
      if (m.ok) task.resolve({ pdf: Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength), sha256: m.sha256 });
      else task.reject(revive(m.error));
    }
    this.dispatch();
  }

  /** A thread failed or stopped (both events come; the first one counts). */
  private onExit(thread: Thread, file: string, error: Error): void {
    const at = this.threads.indexOf(thread);
    if (at < 0) return;
    this.threads.splice(at, 1);
    thread.busy?.reject(
      new Error(`The render thread rendering ${thread.busy.request.model.number} failed: ${error.message}`),
    );
    if (this.state === 'threads') {
      if (thread.ready) {
        this.options.log('warn', `a render thread stopped (${error.message}); starting another`);
        this.spawn(file);
      } else if (this.threads.length === 0) {
        return this.fallBack(`no render thread started (${error.message})`);
      } else {
        this.options.log('warn', `a render thread did not start (${error.message}); ${this.threads.length} left`);
      }
    }
    if (this.threads.length === 0) this.runWaitingHere();
    this.dispatch();
  }

  private fallBack(reason: string): void {
    this.state = 'in-thread';
    this.options.log('warn', `certificates are rendered on the calling thread: ${reason}`);
    for (const t of this.threads.splice(0)) void t.worker.terminate();
    this.runWaitingHere();
  }

  private runWaitingHere(): void {
    for (const p of this.waiting.splice(0)) produceSignedCertificate(p.request).then(p.resolve, p.reject);
  }

  private dispatch(): void {
    for (let t = this.idleThread(); t && this.waiting.length; t = this.idleThread()) {
      const p = this.waiting.shift()!;
      const { model, render, identity, signature } = p.request;
      const key = identity.fingerprint;
      const task: RenderTask = {
        id: p.id,
        model,
        render,
        signature,
        identityKey: key,
        ...(t.identities.has(key) ? {} : { identity }),
      };
      try {
        t.worker.postMessage(task);
      } catch (e) {
        p.reject(e); // not cloneable: the request itself is wrong
        continue;
      }
      t.identities.add(key);
      t.busy = p;
      t.worker.ref();
    }
    this.settleIfDrained();
  }

  private idleThread(): Thread | undefined {
    return this.threads.find((t) => t.ready && !t.busy);
  }

  private settleIfDrained(): void {
    if (this.drained && this.waiting.length === 0 && !this.threads.some((t) => t.busy)) this.drained();
  }
}

/**
 * Why the thread file cannot be used, if it cannot. From the sources, the threads would run the
 * build's copy of this library: a source newer than its compiled file (edited since the last build)
 * makes the build stale.
 */
function workerFileProblem(file: string, checkAge: boolean): string | undefined {
  if (!existsSync(file)) {
    return `the thread file ${file} does not exist (build it: npx tsc -p tsconfig.build.json; npm start and npm test do)`;
  }
  if (!FROM_SOURCES || !checkAge) return undefined;
  const sources = dirname(here);
  const built = dirname(file);
  const stale = readdirSync(sources).find((f) => {
    if (!f.endsWith('.ts') || f.endsWith('.spec.ts') || f.endsWith('.d.ts')) return false;
    const compiled = join(built, f.replace(/\.ts$/, '.js'));
    return !existsSync(compiled) || statSync(join(sources, f)).mtimeMs > statSync(compiled).mtimeMs;
  });
  return stale
    ? `libs/documents/src/${stale} is newer than its build in ${built} (rebuild: npx tsc -p tsconfig.build.json)`
    : undefined;
}

/** A thread's error as the caller would have seen it on its own thread (a model error stays a CertificateModelError). */
function revive(e: SerializedError): Error {
  const error =
    e.name === 'CertificateModelError' && e.field !== undefined ? new CertificateModelError(e.field, '') : new Error();
  error.message = e.message;
  error.name = e.name;
  if (e.stack) error.stack = `${e.stack}\n    (in a render thread)`;
  return error;
}
