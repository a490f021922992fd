import { createHash } from 'node:crypto';
import type { CertificateKind, ConformityDecision } from '#libs/documents';
import type { PublicCertificateView, PublicStampView } from '../dto/certificate.dto.js';
import type { CertificateStatus } from '../status.js';

/**
 * The page a phone opens from the QR code of a certificate or stamp: Vietnamese, server-rendered,
 * no script, no external resource, readable on a small screen. Every value is HTML-escaped.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const KIND: Record<CertificateKind, string> = {
  verification: 'Giấy chứng nhận kiểm định',
  calibration: 'Giấy chứng nhận hiệu chuẩn',
  test_report: 'Phiếu kết quả thử nghiệm',
  verification_failure: 'Thông báo kết quả kiểm định không đạt',
};

/** The colour of a status box, as a class of the page's one stylesheet (no inline style: the CSP allows none). */
type Tone = 'good' | 'warn' | 'bad';

const STATUS: Record<CertificateStatus | 'unknown', { text: string; hint: string; tone: Tone }> = {
  valid: { text: 'CÒN HIỆU LỰC', hint: 'Chứng nhận này do Trung tâm cấp và đang có hiệu lực.', tone: 'good' },
  expired: { text: 'HẾT HIỆU LỰC', hint: 'Chứng nhận này đã quá thời hạn hiệu lực.', tone: 'warn' },
  revoked: { text: 'ĐÃ BỊ THU HỒI', hint: 'Chứng nhận này đã bị thu hồi và không còn giá trị.', tone: 'bad' },
  superseded: {
    text: 'ĐÃ ĐƯỢC THAY THẾ',
    hint: 'Chứng nhận này đã được thay thế bằng một chứng nhận khác; hãy đối chiếu chứng nhận mới.',
    tone: 'warn',
  },
  not_passed: {
    text: 'KHÔNG ĐẠT — PHƯƠNG TIỆN ĐO KHÔNG ĐƯỢC PHÉP SỬ DỤNG',
    hint: 'Phương tiện đo đã được kiểm định và không đạt yêu cầu kỹ thuật đo lường: không có giấy chứng nhận, không có tem kiểm định. Không được sử dụng cho đến khi được sửa chữa và kiểm định lại đạt yêu cầu.',
    tone: 'bad',
  },
  unknown: {
    text: 'KHÔNG TÌM THẤY',
    hint: 'Không có chứng nhận hoặc tem nào mang số này. Hãy kiểm tra lại số hoặc liên hệ Trung tâm.',
    tone: 'bad',
  },
};

const CONFORMITY: Record<ConformityDecision, string> = {
  pass: 'ĐẠT',
  fail: 'KHÔNG ĐẠT',
  conditional_pass: 'ĐẠT CÓ ĐIỀU KIỆN',
  conditional_fail: 'KHÔNG ĐẠT CÓ ĐIỀU KIỆN',
};

/** 'YYYY-MM-DD' → 'DD/MM/YYYY', as dates are written in Viet Nam. */
function day(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;background:#f3f4f6;color:#111;line-height:1.45}
main{max-width:34rem;margin:0 auto;padding:1rem}
header{font-size:.85rem;color:#444;margin-bottom:.75rem}
h1{font-size:1.15rem;margin:.25rem 0 1rem}
.status{border-radius:.6rem;color:#fff;padding:1rem;text-align:center;margin-bottom:1rem}
.status.good{background:#1b7a3a}
.status.warn{background:#a15c00}
.status.bad{background:#b3261e}
.status strong{display:block;font-size:1.35rem;letter-spacing:.02em}
.status span{font-size:.9rem}
dl{background:#fff;border-radius:.6rem;padding:.5rem 1rem;margin:0 0 1rem}
dt{font-size:.8rem;color:#555;margin-top:.6rem}
dd{margin:0 0 .4rem;font-size:1rem;word-wrap:break-word}
footer{font-size:.8rem;color:#555}
a{color:#0b57d0}
.withdrawn{background:#fbeaea;color:#555}
.withdrawn strong{color:#b3261e}
`;

/**
 * Content-Security-Policy of the pages: nothing may load or run but the one stylesheet in <style>,
 * named by its hash (no script, no image, no form, no frame, no inline style attribute).
 */
export const VERIFY_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>Thông tin tra cứu trực tuyến của Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng. Đối chiếu với bản chứng nhận bạn đang có; nếu có sai khác, hãy liên hệ Trung tâm.</footer>
</main>
</body>
</html>
`;
}

function statusBox(status: CertificateStatus | 'unknown'): string {
  const s = STATUS[status];
  return `<div class="status ${s.tone}"><strong>${s.text}</strong><span>${escapeHtml(s.hint)}</span></div>`;
}

function row(label: string, value: string | null | undefined): string {
  return value ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : '';
}

/**
 * What a revoked or superseded document stated when issued, set apart and struck through under a
 * heading that says it is no longer valid: never in the list where a current conclusion would be.
 */
function asIssued(c: PublicCertificateView): string {
  const was = c.asIssued;
  if (!was || (!was.validUntil && !was.conformity)) return '';
  const struck = (label: string, value: string) => `<dt>${escapeHtml(label)}</dt><dd><s>${escapeHtml(value)}</s></dd>`;
  return `<dl class="withdrawn"><dt><strong>Nội dung khi cấp — KHÔNG CÒN GIÁ TRỊ</strong></dt>
${was.conformity ? struck('Kết luận khi cấp', CONFORMITY[was.conformity]) : ''}
${was.validUntil ? struck('Hiệu lực ghi khi cấp', day(was.validUntil)) : ''}
</dl>`;
}

function details(c: PublicCertificateView): string {
  return `<dl>
${row('Số chứng nhận', c.number)}
${row('Loại', KIND[c.kind])}
${row('Ngày cấp', day(c.issueDate))}
${c.validUntil ? row('Có hiệu lực đến', day(c.validUntil)) : ''}
${c.conformity ? row('Kết luận', CONFORMITY[c.conformity]) : ''}
${row(c.kind === 'test_report' ? 'Mẫu thử' : 'Phương tiện đo', c.instrument.type)}
${row(c.kind === 'test_report' ? 'Ký hiệu mẫu' : 'Số sản xuất', c.instrument.serial)}
${row('Đơn vị sử dụng', c.owner)}
${row('Đơn vị cấp', c.laboratory)}
${row('Tem kiểm định', c.stampSerial)}
${row('Thay thế cho chứng nhận số', c.replaces)}
${row('Được thay thế bởi chứng nhận số', c.supersededBy)}
${c.revokedOn ? row('Ngày thu hồi', day(c.revokedOn)) : ''}
</dl>${asIssued(c)}`;
}

export function certificatePage(requested: string, view: PublicCertificateView | undefined): string {
  const title = `Tra cứu chứng nhận ${requested}`;
  const head = `<header>Tra cứu chứng nhận kiểm định, hiệu chuẩn, thử nghiệm</header><h1>Số: ${escapeHtml(requested)}</h1>`;
  if (!view) return page(title, `${head}${statusBox('unknown')}`);
  return page(title, `${head}${statusBox(view.status)}${details(view)}`);
}

export function stampPage(requested: string, view: PublicStampView | undefined): string {
  const title = `Tra cứu tem kiểm định ${requested}`;
  const head = `<header>Tra cứu tem kiểm định</header><h1>Tem số: ${escapeHtml(requested)}</h1>`;
  if (!view) return page(title, `${head}${statusBox('unknown')}`);
  return page(
    title,
    // A void stamp shows no validity date as if it still held: from when it is void, if revoked.
    `${head}${statusBox(view.status)}<dl>${
      view.voidFrom
        ? row('Tem hết hiệu lực từ', day(view.voidFrom))
        : view.status === 'superseded'
          ? ''
          : row('Tem có hiệu lực đến', day(view.validUntil))
    }</dl>${details(view.certificate)}`,
  );
}
