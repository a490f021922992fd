import type { CertificateContent } from '../certificate-source.js';
import { documentKindOf, failureNoticeContent } from './failure-notice.js';

describe('failure notices', () => {
  it('gives a verification that did not pass a notice, a stray conditional verdict included', () => {
    expect(documentKindOf({ service: 'verification_periodic', outcome: 'pass' })).toBe('verification');
    for (const outcome of ['fail', 'conditional_pass', 'conditional_fail', null] as const)
      expect(documentKindOf({ service: 'verification_initial', outcome })).toBe('verification_failure');
    // Calibration keeps its four conformity decisions; a test report is a test report.
    expect(documentKindOf({ service: 'calibration', outcome: 'fail' })).toBe('calibration');
    expect(documentKindOf({ service: 'testing', outcome: 'conditional_fail' })).toBe('test_report');
  });

  const content = (decisions: ('pass' | 'fail' | 'conditional_pass' | 'conditional_fail')[]) =>
    ({
      results: [{ unit: 'L', rows: decisions.map((decision, i) => ({ label: `P${i + 1}`, error: '0.1', decision })) }],
      decisionRule: { rule: 'guarded' },
      conformity: {
        decision: decisions.includes('fail') ? 'fail' : 'conditional_fail',
        text: 'Không đạt có điều kiện',
      },
      remarks: ['given'],
    }) as unknown as CertificateContent;

  it('counts conditional points as fails and says so', () => {
    const notice = failureNoticeContent(content(['pass', 'conditional_pass', 'conditional_fail']));
    expect(notice.results[0]!.rows.map((r) => r.decision)).toEqual(['pass', 'fail', 'fail']);
    expect(notice.conformity).toEqual({ decision: 'fail' });
    expect(notice.remarks).toHaveLength(2);
    expect(notice.remarks![1]).toContain('vùng có điều kiện');
  });

  it('leaves a plain fail as given, with no remark added', () => {
    const notice = failureNoticeContent(content(['pass', 'fail']));
    expect(notice.results[0]!.rows.map((r) => r.decision)).toEqual(['pass', 'fail']);
    expect(notice.remarks).toEqual(['given']);
    expect(notice.conformity).toEqual({ decision: 'fail', text: 'Không đạt có điều kiện' });
  });
});
