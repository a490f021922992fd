// Certificates per second: the documents library (render + QR + sign + hash) against a raw pdfkit
// loop drawing the same certificate, in the same run. Not part of npm test.
//
//   npm run build && node bench/certificate-render.js [--docs 120] [--rounds 6] [--json]
//
// (a) raw pdfkit: the same text, table rules and pages as the calibration certificate, drawn with
//     plain doc.text() flow, the same subset font given as a file path (so pdfkit reads and parses it
//     for every document, as a straightforward program does), no QR, no signature.
// (b) the library: renderCertificate() (shared parsed fonts, measured layout, running headers,
//     vector QR) + signPdf() (placeholder, CMS, RSA-2048) + sha256 of the file.
// (c) for reference only: (a) with the complete DejaVu Sans instead of the subset, when installed.
// Variants run in alternating rounds so that load from other processes hits them alike.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import {
  ensureDevSigningIdentity,
  fontDirectory,
  FONT_FILES,
  formatDate,
  renderCertificate,
  sha256,
  signPdf,
  verifyPdfSignature,
} from '../dist/libs/documents/src/index.js';
import {
  columnLabels,
  fieldLabels,
  onlyThisItemSentence,
  traceabilitySentence,
  uncertaintySentence,
  decisionRuleSentence,
  conformitySentence,
  reproduceInFullSentence,
  TITLES,
} from '../dist/libs/documents/src/labels.js';
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
const SUBSET = { regular: join(fontDirectory(), FONT_FILES.regular), bold: join(fontDirectory(), FONT_FILES.bold) };
const FULL = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

/** (a) A plain pdfkit program printing the certificate's content. */
function rawPdfkit(fonts) {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 100, bottom: 58, left: 42, right: 42 } });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('R', fonts.regular);
    doc.registerFont('B', fonts.bold);
    const labels = fieldLabels(model.kind);
    const cols = columnLabels(model.kind);
    const lab = model.laboratory;
    let page = 1;
    const header = () => {
      const y = doc.y;
      doc.font('R').fontSize(7.5).text(lab.parentBody.toUpperCase(), 42, 26, { width: 320 });
      doc.font('B').fontSize(9.5).text(lab.name.toUpperCase(), { width: 320 });
      doc.font('R').fontSize(7).text(lab.nameEn, { width: 320 });
      doc.fontSize(7.5).text(lab.address, { width: 320 });
      doc.text(`${lab.accreditation} · ĐT/Tel: ${lab.phone} · ${lab.email}`, { width: 320 });
      doc.font('B').fontSize(9.5).text(`Số / No.: ${model.number}`, 378, 26, { width: 175, align: 'right' });
      doc.font('R').fontSize(7.5).text(labels.page(page, 2), 378, doc.y, { width: 175, align: 'right' });
      doc.moveTo(42, 88).lineTo(553, 88).stroke();
      doc.x = 42;
      doc.y = Math.max(y, 100);
    };
    doc.on('pageAdded', () => {
      page++;
      header();
    });
    header();
    const bi = (b, size = 9, font = 'R') => {
      doc.font(font).fontSize(size).fillColor('#000').text(b.vi, { width: 511 });
      if (b.en)
        doc
          .font('R')
          .fontSize(size * 0.8)
          .fillColor('#555')
          .text(b.en, { width: 511 });
      doc.fillColor('#000');
    };
    const field = (label, value) => {
      if (!value) return;
      const y = doc.y;
      doc.font('R').fontSize(9).text(label.vi, 42, y, { width: 114 });
      doc.fontSize(7.2).fillColor('#555').text(label.en, { width: 114 });
      const after = doc.y;
      doc.fillColor('#000').fontSize(9).text(`: ${value}`, 164, y, { width: 389 });
      doc.x = 42;
      doc.y = Math.max(after, doc.y) + 3;
    };
    const table = (heads, rows) => {
      const w = 511 / heads.length;
      const line = (cells, font, size) => {
        if (doc.y + 24 > 783) doc.addPage();
        const y = doc.y;
        cells.forEach((c, i) =>
          doc
            .font(font)
            .fontSize(size)
            .text(c, 42 + i * w + 3, y + 3, { width: w - 6, align: 'center' }),
        );
        cells.forEach((_, i) => doc.rect(42 + i * w, y, w, 22));
        doc.stroke();
        doc.x = 42;
        doc.y = y + 22;
      };
      line(heads, 'B', 7.5);
      for (const r of rows) line(r, 'R', 8.5);
      doc.moveDown();
    };

    doc.font('B').fontSize(16).text(TITLES[model.kind].vi, 42, doc.y, { width: 511, align: 'center' });
    doc.font('R').fontSize(10.5).text(TITLES[model.kind].en, { width: 511, align: 'center' });
    doc.font('B').fontSize(10).text(`Số / No.: ${model.number}`, { width: 511, align: 'center' });
    doc.moveDown();
    const { item, customer } = model;
    field(labels.item, `${item.typeName} / ${item.typeNameEn}`);
    field(labels.model, item.model);
    field(labels.serial, item.serial);
    field(labels.manufacturer, item.manufacturer);
    field(labels.range, item.range);
    field(labels.resolution, item.resolution);
    field(labels.accuracyClass, item.accuracyClass);
    field(labels.customer, `${customer.name}\n${customer.address}\n${customer.contact}`);
    field(labels.owner, item.owner);
    field(labels.placeOfUse, item.placeOfUse);
    field(labels.method, `${model.method.code} (${model.method.version})\n${model.method.title}`);
    field(labels.receiptDate, formatDate(model.receiptDate));
    field(labels.measurementDates, model.measurementDates.map(formatDate).join(', '));
    field(labels.place, model.placeOfMeasurement);
    const env = model.environment;
    field(
      labels.environment,
      `Nhiệt độ / Temperature: ${env.temperature.value} ${env.temperature.unit}\nĐộ ẩm / Relative humidity: ${env.humidity.value} ${env.humidity.unit}\nÁp suất khí quyển / Atmospheric pressure: ${env.pressure.value} ${env.pressure.unit}`,
    );
    bi(labels.standards, 10.5, 'B');
    table(
      [
        'Mã / Code',
        'Tên chuẩn / Standard',
        'Số GCN / Certificate No.',
        'Nơi hiệu chuẩn / Calibrated by',
        'Hạn / Due date',
      ],
      model.standards.map((s) => [s.code, s.name, s.certificateNumber, s.issuedBy, formatDate(s.dueDate)]),
    );
    bi(labels.traceability, 9, 'B');
    bi(traceabilitySentence(model));
    bi(labels.results, 10.5, 'B');
    const t = model.results[0];
    table(
      [
        cols.nominal,
        cols.reference,
        cols.indicated,
        cols.error,
        cols.expandedUncertainty,
        cols.coverageFactor,
        cols.mpe,
        cols.decision,
      ].map((c) => `${c.vi}\n${c.en}`),
      t.rows.map((r) => [
        r.nominal,
        r.reference,
        r.indicated,
        r.error,
        r.expandedUncertainty,
        r.coverageFactor,
        r.mpe,
        'Phù hợp\nConforms',
      ]),
    );
    bi(labels.uncertainty, 9, 'B');
    bi(uncertaintySentence(model.uncertainty));
    bi(labels.decisionRule, 9, 'B');
    bi(decisionRuleSentence(model.decisionRule));
    bi(labels.conformity, 9, 'B');
    bi(conformitySentence(model));
    bi(labels.remarks, 9, 'B');
    bi({ vi: model.remarks.join('\n'), en: '' });
    bi(onlyThisItemSentence(model.kind), 9, 'B');
    doc.moveDown();
    const s = model.authorisedSignatory;
    bi({ vi: `Ngày ban hành / Date of issue: ${formatDate(model.issueDate)}`, en: '' });
    bi({ vi: `${labels.technician.vi}: ${model.technician.name}`, en: labels.technician.en }, 9, 'B');
    bi({ vi: `${s.title.toUpperCase()}: ${s.name}`, en: s.titleEn }, 9, 'B');
    bi(labels.digitallySigned);
    bi(reproduceInFullSentence(model.kind), 6.5);
    doc.end();
  });
}

const INFO = {
  reason: `Phát hành ${model.number}`,
  location: 'Quảng Ngãi, Việt Nam',
  name: model.authorisedSignatory.name,
  contactInfo: model.laboratory.email,
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-certificates-'));
  try {
    const identity = ensureDevSigningIdentity(dir, model.laboratory.name);
    /** (b) what the certificate job will do per certificate, minus storage. */
    const library = async () => {
      const pdf = await renderCertificate(model);
      const signed = await signPdf(pdf, identity.p12, identity.passphrase, INFO);
      sha256(signed);
      return signed;
    };
    const variants = [
      { key: 'a', name: 'raw pdfkit, subset font file per document', run: () => rawPdfkit(SUBSET) },
      { key: 'b', name: 'documents lib: render + QR + sign + sha256', run: library },
    ];
    if (existsSync(FULL.regular))
      variants.push({
        key: 'c',
        name: 'raw pdfkit, full DejaVu Sans per document (reference)',
        run: () => rawPdfkit(FULL),
      });

    // Sanity: both produce PDFs; the library's is signed and intact.
    const sample = await library();
    if (!verifyPdfSignature(sample).intact) throw new Error('the library produced a signature that does not verify');
    const pagesOf = (pdf) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    const rawSample = await rawPdfkit(SUBSET);
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
        for (let i = 0; i < perRound; i++) await v.run();
        const ms = performance.now() - t0;
        stats[v.key].ms += ms;
        stats[v.key].docs += perRound;
        stats[v.key].rounds.push((perRound * 1000) / ms);
      }
    }
    const rate = (k) => (stats[k].docs * 1000) / stats[k].ms;
    const result = {
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
      docsPerVariant: stats.a.docs,
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
    console.log(`ratio b/a = ${result.ratioBToA}  (aim ≥ 0.5)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
