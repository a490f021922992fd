import type { CertificateKind, ConformityDecision, ResultTable } from '#libs/documents';
import type { CertificateContent, CertificateDraft } from '../certificate-source.js';
import { certificateKindOf } from '../certificate-source.js';

/**
 * What a draft is issued as. Legal verification is binary (ĐLVN): a verification that did not pass
 * gets a notice of failed verification (thông báo kết quả kiểm định không đạt), never a certificate.
 * Anything but 'pass' counts as a fail here — a stray conditional verdict from a guarded rule included.
 */
export function documentKindOf(draft: Pick<CertificateDraft, 'service' | 'outcome'>): CertificateKind {
  const kind = certificateKindOf(draft.service);
  return kind === 'verification' && draft.outcome !== 'pass' ? 'verification_failure' : kind;
}

const binary = (decision: ConformityDecision): ConformityDecision =>
  decision === 'conditional_pass' || decision === 'conditional_fail' ? 'fail' : decision;

/**
 * The content of a failure notice: the verdict KHÔNG ĐẠT, every conditional point counted as a fail
 * (and a remark saying so), everything else as the result workflow gave it.
 */
export function failureNoticeContent(content: CertificateContent): CertificateContent {
  let conditional = content.conformity?.decision.startsWith('conditional') ?? false;
  const tables = (list: ResultTable[]): ResultTable[] =>
    list.map((table) => ({
      ...table,
      rows: table.rows.map((row) => {
        if (!row.decision || binary(row.decision) === row.decision) return row;
        conditional = true;
        return { ...row, decision: binary(row.decision) };
      }),
    }));
  const results = tables(content.results);
  const asFound = content.asFound && tables(content.asFound);
  return {
    ...content,
    results,
    ...(asFound ? { asFound } : {}),
    // A conditional verdict's own text would speak of it: the standard wording of a fail is printed.
    conformity:
      content.conformity?.decision === 'fail'
        ? content.conformity
        : {
            ...(content.conformity?.specification ? { specification: content.conformity.specification } : {}),
            decision: 'fail',
          },
    remarks: conditional
      ? [
          ...(content.remarks ?? []),
          'Kiểm định chỉ có kết luận đạt hoặc không đạt: điểm nằm trong vùng có điều kiện của quy tắc quyết định được đánh giá là không đạt. / Verification is pass or fail: a point in a conditional zone of the decision rule counts as a fail.',
        ]
      : content.remarks,
  };
}
