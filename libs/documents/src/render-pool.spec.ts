// The render pool, with real threads running the compiled dist/libs/documents/src/render-worker.js
// (build first: npx tsc -p tsconfig.build.json; npm test does), and its fallbacks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateModelError } from './certificate-model.js';
import { ensureDevSigningIdentity } from './dev-identity.js';
import { RenderPool, renderWorkerFile } from './render-pool.js';
import type { SignedCertificateRequest } from './signed-certificate.js';
import { loadSigningIdentity, sha256, type SigningIdentity } from './signing.js';
import { calibrationModel } from './testing/certificate-models.js';
import { flat, pdfPages } from './testing/pdf-tools.js';
import { verifyPdfSignature } from './verify-signature.js';

let dir: string;
let identity: SigningIdentity;
const pools: RenderPool[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'documents-render-pool-'));
  const dev = ensureDevSigningIdentity(dir, 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng');
  identity = loadSigningIdentity(dev.p12, dev.passphrase);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

function pool(options: { threads?: number; workerFile?: string }): { pool: RenderPool; logs: string[] } {
  const logs: string[] = [];
  const p = new RenderPool({ ...options, log: (level, message) => logs.push(`${level}: ${message}`) });
  pools.push(p);
  return { pool: p, logs };
}

function request(number: string): SignedCertificateRequest {
  return {
    model: calibrationModel({ number }),
    render: { createdAt: new Date('2026-03-12T03:04:05Z') },
    identity,
    signature: {
      reason: `Phát hành ${number}`,
      location: 'Quảng Ngãi',
      name: 'Trần Thị Ngọc Hương',
      contactInfo: 'lab@tdc.example.vn',
    },
  };
}

/** A thread file of our own, for the failures the real one does not have. */
function threadFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

function expectSignedCertificate(out: { pdf: Buffer; sha256: string }, number: string): void {
  expect(Buffer.isBuffer(out.pdf)).toBe(true);
  expect(out.sha256).toBe(sha256(out.pdf));
  const check = verifyPdfSignature(out.pdf);
  expect(check).toMatchObject({ signed: true, intact: true, certificateFingerprint: identity.fingerprint });
  expect(flat(pdfPages(out.pdf).join(' '))).toContain(number);
}

describe('RenderPool', () => {
  it('starts on the first render, in threads, and renders, signs and hashes several certificates at once', async () => {
    const { pool: p, logs } = pool({ threads: 2 });
    expect(p.mode).toBe('not started');
    expect(p.size).toBe(0);
    const numbers = ['HC-2026/000101', 'HC-2026/000102', 'HC-2026/000103', 'HC-2026/000104', 'HC-2026/000105'];
    const out = await Promise.all(numbers.map((n) => p.render(request(n))));
    expect(p.mode).toBe('threads');
    expect(p.size).toBe(2);
    expect(logs).toEqual([`log: certificates are rendered in 2 worker thread(s) (${renderWorkerFile()})`]);
    out.forEach((o, i) => expectSignedCertificate(o, numbers[i]!));
    expect(new Set(out.map((o) => o.sha256)).size).toBe(numbers.length);
  });

  it('renders an urgent certificate before the ones waiting for a thread, after the one being drawn', async () => {
    const { pool: p } = pool({ threads: 1 });
    expectSignedCertificate(await p.render(request('HC-2026/000801')), 'HC-2026/000801'); // the thread is up
    expect(p.rendersAside).toBe(true);
    const done: string[] = [];
    const render = (n: string, urgent = false) =>
      p.render(request(n), { urgent }).then((out) => {
        done.push(n);
        return out;
      });
    const out = await Promise.all([
      render('HC-2026/000802'), // drawn at once
      render('HC-2026/000803'),
      render('HC-2026/000804'),
      render('HC-2026/000805', true),
      render('HC-2026/000806', true),
    ]);
    expect(done).toEqual(['HC-2026/000802', 'HC-2026/000805', 'HC-2026/000806', 'HC-2026/000803', 'HC-2026/000804']);
    out.forEach((o, i) => expectSignedCertificate(o, `HC-2026/00080${i + 2}`));
  });

  it("gives a thread's model error back as a CertificateModelError, and the thread goes on", async () => {
    const { pool: p } = pool({ threads: 1 });
    const bad = request('HC-2026/000201');
    bad.model = { ...bad.model, issueDate: '2026-02-30' };
    const error = await p.render(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateModelError);
    expect(error).toMatchObject({
      field: 'issueDate',
      message: expect.stringContaining('issueDate must be a calendar date'),
    });
    expect((error as Error).stack).toContain('(in a render thread)');
    expectSignedCertificate(await p.render(request('HC-2026/000202')), 'HC-2026/000202');
    expect(p.mode).toBe('threads');
  });

  it('renders on the calling thread with 0 threads, and says so', async () => {
    const { pool: p, logs } = pool({ threads: 0 });
    expectSignedCertificate(await p.render(request('HC-2026/000301')), 'HC-2026/000301');
    expect(p.mode).toBe('in-thread');
    expect(p.rendersAside).toBe(false);
    expect(p.size).toBe(0);
    expect(logs).toEqual(['log: certificates are rendered on the calling thread (0 render threads configured)']);
  });

  it('falls back to the calling thread, logged, when the thread file is missing', async () => {
    const missing = join(dir, 'no-such-render-worker.js');
    const { pool: p, logs } = pool({ threads: 2, workerFile: missing });
    expectSignedCertificate(await p.render(request('HC-2026/000401')), 'HC-2026/000401');
    expect(p.mode).toBe('in-thread');
    expect(logs).toEqual([
      `warn: certificates are rendered on the calling thread: the thread file ${missing} does not exist (build it: npx tsc -p tsconfig.build.json; npm start and npm test do)`,
    ]);
  });

  it('falls back to the calling thread, logged, when no thread starts; the certificates waiting are rendered', async () => {
    const broken = threadFile('broken-worker.mjs', "throw new Error('cannot load pdfkit');\n");
    const { pool: p, logs } = pool({ threads: 2, workerFile: broken });
    const out = await Promise.all([p.render(request('HC-2026/000501')), p.render(request('HC-2026/000502'))]);
    out.forEach((o, i) => expectSignedCertificate(o, `HC-2026/00050${i + 1}`));
    expect(p.mode).toBe('in-thread');
    expect(p.size).toBe(0);
    expect(logs.at(-1)).toMatch(
      /^warn: certificates are rendered on the calling thread: no render thread started \(.*cannot load pdfkit/,
    );
  });

  it('fails the certificate of a thread that dies, and starts another thread', async () => {
    const dying = threadFile(
      'dying-worker.mjs',
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\nparentPort.postMessage({ ready: true });\n",
    );
    const { pool: p, logs } = pool({ threads: 1, workerFile: dying });
    await expect(p.render(request('HC-2026/000601'))).rejects.toThrow(
      'The render thread rendering HC-2026/000601 failed: exited with code 3',
    );
    expect(logs).toContain('warn: a render thread stopped (exited with code 3); starting another');
    expect(p.mode).toBe('threads');
    expect(p.size).toBe(1);
  });

  it('lets the certificates already sent finish on close, stops its threads, then renders on the calling thread', async () => {
    const { pool: p } = pool({ threads: 2 });
    const inFlight = [p.render(request('HC-2026/000701')), p.render(request('HC-2026/000702'))];
    await p.close();
    expect(p.mode).toBe('closed');
    expect(p.size).toBe(0);
    (await Promise.all(inFlight)).forEach((o, i) => expectSignedCertificate(o, `HC-2026/00070${i + 1}`));
    expectSignedCertificate(await p.render(request('HC-2026/000703')), 'HC-2026/000703');
    await p.close();
  });
});
