// Certificates per second: the documents library (render + QR + sign + hash) against a raw pdfkit
// loop drawing the same certificate, in the same run. Not part of npm test.
//
//   npm run build && node bench/certificate-render.js [--docs 120] [--rounds 6] [--json]
//
// (a) raw pdfkit (bench/support/raw-certificate.ts, shared with the queue benchmark): the same text, table rules and pages as the calibration certificate, drawn with
//     plain doc.text() flow, the same subset font given as a file path (so pdfkit reads and parses it
//     for every document, as a straightforward program does), no QR, no signature.
// (b) the library: renderCertificate() (shared parsed fonts, measured layout, running headers,
//     vector QR) + signPdf() (placeholder, CMS, RSA-2048) + sha256 of the file.
// (c) for reference only: (a) with the complete DejaVu Sans instead of the subset, when installed.
// (d) (b) through the render pool (RenderPool, os.availableParallelism() threads), one certificate at
//     a time: what handing a certificate to a thread and back costs.
// (e) (d) with as many certificates in flight as there are threads: what the pool can do at most.
// Variants run in alternating rounds so that load from other processes hits them alike.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureDevSigningIdentity,
  loadSigningIdentity,
  RenderPool,
  renderCertificate,
  sha256,
  signPdf,
  verifyPdfSignature,
} from '../dist/libs/documents/src/index.js';
import { rawCertificate, SUBSET_FONTS as SUBSET } from '../dist/bench/support/raw-certificate.js';
import { calibrationModel } from '../dist/libs/documents/src/testing/certificate-models.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DOCS = arg('docs', 120);
const ROUNDS = arg('rounds', 6);
const JSON_OUT = args.includes('--json');

const model = calibrationModel();
const FULL = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

const INFO = {
  reason: `Phát hành ${model.number}`,
  location: 'Quảng Ngãi, Việt Nam',
  name: model.authorisedSignatory.name,
  contactInfo: model.laboratory.email,
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-certificates-'));
  const threads = availableParallelism();
  const pool = new RenderPool({ threads, log: (level, message) => console.log(`(render pool) ${message}`) });
  try {
    const identity = ensureDevSigningIdentity(dir, model.laboratory.name);
    /** (b) what the certificate job will do per certificate, minus storage. */
    const library = async () => {
      const pdf = await renderCertificate(model);
      const signed = await signPdf(pdf, identity.p12, identity.passphrase, INFO);
      sha256(signed);
      return signed;
    };
    const request = {
      model,
      render: {},
      identity: loadSigningIdentity(identity.p12, identity.passphrase),
      signature: INFO,
    };
    const variants = [
      { key: 'a', name: 'raw pdfkit, subset font file per document', run: () => rawCertificate(model, SUBSET) },
      { key: 'b', name: 'documents lib: render + QR + sign + sha256', run: library },
      {
        key: 'd',
        name: `(b) through the render pool, ${threads} thread(s), 1 at a time`,
        run: () => pool.render(request),
      },
      {
        key: 'e',
        name: `(b) through the render pool, ${threads} at a time`,
        batch: threads,
        run: () => Promise.all(Array.from({ length: threads }, () => pool.render(request))),
      },
    ];
    if (existsSync(FULL.regular))
      variants.push({
        key: 'c',
        name: 'raw pdfkit, full DejaVu Sans per document (reference)',
        run: () => rawCertificate(model, FULL),
      });

    // Sanity: both produce PDFs; the library's is signed and intact.
    const sample = await library();
    if (!verifyPdfSignature(sample).intact) throw new Error('the library produced a signature that does not verify');
    const pagesOf = (pdf) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    const rawSample = await rawCertificate(model, SUBSET);
    if (process.env.BENCH_KEEP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(process.env.BENCH_KEEP, 'raw.pdf'), rawSample);
      writeFileSync(join(process.env.BENCH_KEEP, 'library.pdf'), sample);
    }

    for (const v of variants) for (let i = 0; i < 10; i++) await v.run(); // warm-up (JIT, font caches)
    const perRound = Math.max(1, Math.round(DOCS / ROUNDS));
    const stats = Object.fromEntries(variants.map((v) => [v.key, { ms: 0, docs: 0, rounds: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        const t0 = performance.now();
        const batches = Math.max(1, Math.round(perRound / (v.batch ?? 1)));
        for (let i = 0; i < batches; i++) await v.run();
        const ms = performance.now() - t0;
        const docs = batches * (v.batch ?? 1);
        stats[v.key].ms += ms;
        stats[v.key].docs += docs;
        stats[v.key].rounds.push((docs * 1000) / ms);
      }
    }
    const rate = (k) => (stats[k].docs * 1000) / stats[k].ms;
    const result = {
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
      docsPerVariant: stats.a.docs,
      renderPool: `${pool.mode}, ${pool.size} thread(s)`,
      pages: { raw: pagesOf(rawSample), library: pagesOf(await renderCertificate(model)) },
      bytes: { raw: rawSample.length, library: sample.length },
      variants: variants.map((v) => ({
        key: v.key,
        name: v.name,
        perSecond: +rate(v.key).toFixed(1),
        msPerDoc: +(stats[v.key].ms / stats[v.key].docs).toFixed(2),
        roundsPerSecond: stats[v.key].rounds.map((r) => +r.toFixed(1)),
      })),
      ratioBToA: +(rate('b') / rate('a')).toFixed(2),
    };
    if (JSON_OUT) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`certificate rendering — node ${result.node}, ${result.cpus} CPU(s), load ${result.loadavg.join(' ')}`);
    console.log(
      `${result.docsPerVariant} documents per variant in ${ROUNDS} alternating rounds; pages raw/lib ${result.pages.raw}/${result.pages.library}`,
    );
    for (const v of result.variants) {
      console.log(
        `(${v.key}) ${v.name.padEnd(56)} ${String(v.perSecond).padStart(7)} /s  ${String(v.msPerDoc).padStart(7)} ms/doc  rounds ${v.roundsPerSecond.join(' ')}`,
      );
    }
    console.log(`ratio b/a = ${result.ratioBToA}  (aim ≥ 0.5); render pool: ${result.renderPool}`);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
