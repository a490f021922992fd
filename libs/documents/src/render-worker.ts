// A render thread of RenderPool (render-pool.ts): renders, signs and hashes certificates sent by the
// pool, one at a time. Runs only as the compiled dist/libs/documents/src/render-worker.js, started
// with `new Worker(…)`; nothing imports it.
import { parentPort } from 'node:worker_threads';
import { CertificateModelError, type CertificateModel } from './certificate-model.js';
import { certificateFonts } from './fonts.js';
import { produceSignedCertificate } from './signed-certificate.js';
import type { SignatureInfo, SigningIdentity } from './signing.js';

/** One certificate to render. The identity travels once per thread (its key clones as a KeyObject), then by key. */
export interface RenderTask {
  id: number;
  model: CertificateModel;
  render: { createdAt?: Date; logo?: Uint8Array };
  signature: SignatureInfo;
  /** The identity's fingerprint: the thread keeps each identity, and the caches keyed on it, for its life. */
  identityKey: string;
  identity?: SigningIdentity;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** CertificateModelError's field. */
  field?: string;
}

/** What a thread posts: that it is ready (fonts parsed), or a task's outcome (`pdf`'s memory is transferred). */
export type RenderReply =
  | { ready: true }
  | { id: number; ok: true; pdf: Uint8Array; sha256: string }
  | { id: number; ok: false; error: SerializedError };

const port = parentPort;
if (!port) throw new Error('render-worker.js runs only as a worker thread of RenderPool');

/** Structured cloning turns Buffers into Uint8Arrays: the renderer and signer want Buffers. */
const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

const identities = new Map<string, SigningIdentity>();

function identityFor(task: RenderTask): SigningIdentity {
  if (task.identity) {
    const sent = task.identity;
    identities.set(task.identityKey, {
      ...sent,
      certificate: asBuffer(sent.certificate),
      chain: sent.chain.map(asBuffer),
    });
  }
  const identity = identities.get(task.identityKey);
  if (!identity) throw new Error(`render thread: signing identity ${task.identityKey} was never sent to this thread`);
  return identity;
}

function serialize(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
    ...(e instanceof CertificateModelError ? { field: e.field } : {}),
  };
}

async function run(task: RenderTask): Promise<void> {
  try {
    const { createdAt, logo } = task.render;
    const out = await produceSignedCertificate({
      model: task.model,
      render: { ...(createdAt ? { createdAt } : {}), ...(logo ? { logo: asBuffer(logo) } : {}) },
      identity: identityFor(task),
      signature: task.signature,
    });
    // The file's memory is handed over, not copied; a Buffer sharing a larger pool is copied out first.
    const whole = out.pdf.byteOffset === 0 && out.pdf.byteLength === out.pdf.buffer.byteLength;
    const pdf = whole ? new Uint8Array(out.pdf.buffer as ArrayBuffer) : new Uint8Array(out.pdf);
    port!.postMessage({ id: task.id, ok: true, pdf, sha256: out.sha256 } satisfies RenderReply, [pdf.buffer]);
  } catch (e) {
    port!.postMessage({ id: task.id, ok: false, error: serialize(e) } satisfies RenderReply);
  }
}

port.on('message', (task: RenderTask) => void run(task));
// Fonts parsed before the first certificate: it is what a thread's start costs.
certificateFonts();
port.postMessage({ ready: true } satisfies RenderReply);
