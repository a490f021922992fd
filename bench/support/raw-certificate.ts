// The baseline of the certificates-per-second benchmark: a plain pdfkit program printing a
// certificate's content (the same text, tables and pages as renderCertificate draws), with the same
// subset font given as a file path (so pdfkit reads and parses it for every document, as a
// straightforward program does), no QR code, no signature. Used by both certificate benchmarks
// (bench/certificate-render.js variant (a), and the queue benchmark).
import PDFDocument from 'pdfkit';
import { fontDirectory, FONT_FILES, formatDate, type Bilingual, type CertificateModel } from '#libs/documents';
import {
  columnLabels,
  conformitySentence,
  decisionRuleSentence,
  fieldLabels,
  onlyThisItemSentence,
  reproduceInFullSentence,
  TITLES,
  traceabilitySentence,
  uncertaintySentence,
} from '../../libs/documents/src/labels.js';

export const SUBSET_FONTS = {
  regular: `${fontDirectory()}/${FONT_FILES.regular}`,
  bold: `${fontDirectory()}/${FONT_FILES.bold}`,
};

export function rawCertificate(model: CertificateModel, fonts = SUBSET_FONTS): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 100, bottom: 58, left: 42, right: 42 } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('R', fonts.regular);
    doc.registerFont('B', fonts.bold);
    const labels = fieldLabels(model.kind);
    const cols = columnLabels(model.kind);
    const lab = model.laboratory;
    let page = 1;
    const header = (): void => {
      const y = doc.y;
      if (lab.parentBody) doc.font('R').fontSize(7.5).text(lab.parentBody.toUpperCase(), 42, 26, { width: 320 });
      doc.font('B').fontSize(9.5).text(lab.name.toUpperCase(), { width: 320 });
      if (lab.nameEn) doc.font('R').fontSize(7).text(lab.nameEn, { width: 320 });
      doc.fontSize(7.5).text(lab.address, { width: 320 });
      doc.text([lab.accreditation, lab.phone, lab.email].filter(Boolean).join(' · '), { width: 320 });
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
    const bi = (b: Bilingual, size = 9, font = 'R'): void => {
      doc.font(font).fontSize(size).fillColor('#000').text(b.vi, { width: 511 });
      if (b.en)
        doc
          .font('R')
          .fontSize(size * 0.8)
          .fillColor('#555')
          .text(b.en, { width: 511 });
      doc.fillColor('#000');
    };
    const field = (label: Bilingual, value: string | undefined): void => {
      if (!value) return;
      const y = doc.y;
      doc.font('R').fontSize(9).text(label.vi, 42, y, { width: 114 });
      doc.fontSize(7.2).fillColor('#555').text(label.en, { width: 114 });
      const after = doc.y;
      doc.fillColor('#000').fontSize(9).text(`: ${value}`, 164, y, { width: 389 });
      doc.x = 42;
      doc.y = Math.max(after, doc.y) + 3;
    };
    const table = (heads: string[], rows: (string | undefined)[][]): void => {
      const w = 511 / heads.length;
      const line = (cells: (string | undefined)[], font: string, size: number): void => {
        if (doc.y + 24 > 783) doc.addPage();
        const y = doc.y;
        cells.forEach((c, i) =>
          doc
            .font(font)
            .fontSize(size)
            .text(c ?? '', 42 + i * w + 3, y + 3, { width: w - 6, align: 'center' }),
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
    field(labels.item, `${item.typeName}${item.typeNameEn ? ` / ${item.typeNameEn}` : ''}`);
    field(labels.model, item.model);
    field(labels.serial, item.serial);
    field(labels.manufacturer, item.manufacturer);
    field(labels.range, item.range);
    field(labels.resolution, item.resolution);
    field(labels.accuracyClass, item.accuracyClass);
    field(labels.customer, [customer.name, customer.address, customer.contact].filter(Boolean).join('\n'));
    field(labels.owner, item.owner);
    field(labels.placeOfUse, item.placeOfUse);
    field(
      labels.method,
      `${model.method.code}${model.method.version ? ` (${model.method.version})` : ''}\n${model.method.title ?? ''}`,
    );
    if (model.receiptDate) field(labels.receiptDate, formatDate(model.receiptDate));
    field(labels.measurementDates, model.measurementDates.map(formatDate).join(', '));
    field(labels.place, model.placeOfMeasurement);
    const env = model.environment ?? {};
    field(
      labels.environment,
      [
        env.temperature && `Nhiệt độ / Temperature: ${env.temperature.value} ${env.temperature.unit}`,
        env.humidity && `Độ ẩm / Relative humidity: ${env.humidity.value} ${env.humidity.unit}`,
        env.pressure && `Áp suất khí quyển / Atmospheric pressure: ${env.pressure.value} ${env.pressure.unit}`,
      ]
        .filter(Boolean)
        .join('\n'),
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
    for (const t of model.results) {
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
    }
    if (model.uncertainty) {
      bi(labels.uncertainty, 9, 'B');
      bi(uncertaintySentence(model.uncertainty));
    }
    if (model.decisionRule) {
      bi(labels.decisionRule, 9, 'B');
      bi(decisionRuleSentence(model.decisionRule));
    }
    if (model.conformity) {
      bi(labels.conformity, 9, 'B');
      bi(conformitySentence(model));
    }
    if (model.remarks?.length) {
      bi(labels.remarks, 9, 'B');
      bi({ vi: model.remarks.join('\n'), en: '' });
    }
    bi(onlyThisItemSentence(model.kind), 9, 'B');
    doc.moveDown();
    const s = model.authorisedSignatory;
    bi({ vi: `Ngày ban hành / Date of issue: ${formatDate(model.issueDate)}`, en: '' });
    if (model.technician)
      bi({ vi: `${labels.technician.vi}: ${model.technician.name}`, en: labels.technician.en }, 9, 'B');
    bi({ vi: `${(s.title ?? '').toUpperCase()}: ${s.name}`, en: s.titleEn ?? '' }, 9, 'B');
    bi(labels.digitallySigned);
    bi(reproduceInFullSentence(model.kind), 6.5);
    doc.end();
  });
}
