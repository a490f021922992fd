import type { RecallPeriod, RecallService } from './notice.entities.js';

/** One instrument of a recall notice, as the e-mail and the webhook name it. */
export interface RecallLine {
  instrumentId: string;
  typeName: string;
  serialNumber: string;
  placeOfUse: string;
  /** What falls due on nextDueDate. */
  service: RecallService;
  nextDueDate: string;
  daysUntilDue: number;
}

/** One certificate of an out-of-tolerance notice. */
export interface CertificateLine {
  certificateId: string;
  number: string;
  measurementDate: string;
  item: string;
}

export interface Composed {
  subject: string;
  text: string;
}

const vnDate = (iso: string): string => iso.split('-').reverse().join('/');

const SERVICE_VI: Record<RecallService, string> = { verification: 'kiểm định', calibration: 'hiệu chuẩn' };
const SERVICE_EN: Record<RecallService, string> = { verification: 'verification', calibration: 'calibration' };

/** The services the lines fall due for, joined: "kiểm định", "hiệu chuẩn" or "kiểm định, hiệu chuẩn". */
function servicesOf(lines: RecallLine[], names: Record<RecallService, string>, and: string): string {
  const services = (['verification', 'calibration'] as const).filter((s) => lines.some((l) => l.service === s));
  return services.map((s) => names[s]).join(and);
}

function periodVi(period: RecallPeriod, what: string): string {
  return period === 'overdue' ? `đã quá hạn ${what}` : `đến hạn ${what} trong vòng ${period.slice(4)} ngày`;
}

function periodEn(period: RecallPeriod, what: string): string {
  return period === 'overdue' ? `overdue for ${what}` : `due for ${what} within ${period.slice(4)} days`;
}

/**
 * The recall e-mail (thông báo đến hạn kiểm định / hiệu chuẩn): Vietnamese first, English below; each
 * instrument with type, serial number, place of use, the service that falls due and its due date;
 * the link to the notice, which carries the request body ready for POST /requests.
 */
export function composeRecallEmail(input: {
  laboratory: string;
  organizationName: string;
  period: RecallPeriod;
  lines: RecallLine[];
  noticeUrl: string;
  requestsUrl: string;
}): Composed {
  const { laboratory, organizationName, period, lines } = input;
  const whatVi = servicesOf(lines, SERVICE_VI, ', ');
  const whatEn = servicesOf(lines, SERVICE_EN, ' or ');
  const vi = lines.map(
    (l, i) =>
      `${i + 1}. ${l.typeName} — số sản xuất ${l.serialNumber} — nơi sử dụng: ${l.placeOfUse || '(chưa ghi)'} — hạn ${SERVICE_VI[l.service]}: ${vnDate(l.nextDueDate)}`,
  );
  const en = lines.map(
    (l, i) =>
      `${i + 1}. ${l.typeName} — serial number ${l.serialNumber} — place of use: ${l.placeOfUse || '(not given)'} — ${SERVICE_EN[l.service]} due: ${l.nextDueDate}`,
  );
  const subject = `[${laboratory}] Thông báo phương tiện đo ${periodVi(period, whatVi)} / Instruments ${periodEn(period, whatEn)} — ${organizationName}`;
  const text = [
    `Kính gửi ${organizationName},`,
    '',
    `${laboratory} xin thông báo ${lines.length} phương tiện đo của Quý đơn vị ${periodVi(period, whatVi)}:`,
    '',
    ...vi,
    '',
    `Để gửi yêu cầu ${whatVi} cho các phương tiện đo này: ${input.noticeUrl}`,
    `(thông báo kèm sẵn nội dung yêu cầu, gửi tới ${input.requestsUrl} bằng khóa API của Quý đơn vị), hoặc trả lời thư này.`,
    '',
    '---',
    '',
    `Dear ${organizationName},`,
    '',
    `${laboratory} informs you that ${lines.length} of your measuring instruments are ${periodEn(period, whatEn)}:`,
    '',
    ...en,
    '',
    `To submit a ${whatEn} request for them: ${input.noticeUrl}`,
    `(the notice carries the request body, ready to POST to ${input.requestsUrl} with your API key), or reply to this e-mail.`,
  ].join('\n');
  return { subject, text };
}

/**
 * The reverse-traceability notice: a standard the centre used was found out of tolerance; these
 * certificates of the customer were issued with it since its last good check and are being reviewed.
 */
export function composeOutOfToleranceEmail(input: {
  laboratory: string;
  organizationName: string;
  standardName: string;
  foundOn: string;
  lines: CertificateLine[];
}): Composed {
  const { laboratory, organizationName, lines } = input;
  const vi = lines.map(
    (l, i) => `${i + 1}. Giấy chứng nhận số ${l.number} — ${l.item} — ngày đo: ${vnDate(l.measurementDate)}`,
  );
  const en = lines.map(
    (l, i) => `${i + 1}. Certificate no. ${l.number} — ${l.item} — measured on ${l.measurementDate}`,
  );
  const subject = `[${laboratory}] Thông báo về giấy chứng nhận có thể bị ảnh hưởng / Certificates that may be affected — ${organizationName}`;
  const text = [
    `Kính gửi ${organizationName},`,
    '',
    `Ngày ${vnDate(input.foundOn)}, chuẩn đo lường "${input.standardName}" của ${laboratory} được phát hiện không còn đạt yêu cầu (ngoài dung sai).`,
    `Các giấy chứng nhận sau của Quý đơn vị được cấp với chuẩn này kể từ lần kiểm tra đạt gần nhất và đang được Trung tâm xem xét lại:`,
    '',
    ...vi,
    '',
    'Trung tâm sẽ thông báo quyết định cho từng giấy chứng nhận (không ảnh hưởng / thu hồi / cấp lại).',
    '',
    '---',
    '',
    `Dear ${organizationName},`,
    '',
    `On ${input.foundOn}, the measurement standard "${input.standardName}" of ${laboratory} was found out of tolerance.`,
    'The following certificates of yours were issued with it since its last good check and are being reviewed:',
    '',
    ...en,
    '',
    'The centre will inform you of its decision for each certificate (no impact / recall / re-issue).',
  ].join('\n');
  return { subject, text };
}
