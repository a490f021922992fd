import {
  CertificateModelError,
  failingRows,
  isCalendarDate,
  validateCertificateModel,
  type CertificateModel,
} from './certificate-model.js';
import {
  calibrationModel,
  failureNoticeModel,
  testReportModel,
  verificationModel,
} from './testing/certificate-models.js';

function problem(model: CertificateModel): CertificateModelError {
  try {
    validateCertificateModel(model);
  } catch (e) {
    if (e instanceof CertificateModelError) return e;
    throw e;
  }
  throw new Error('expected the model to be rejected');
}

describe('validateCertificateModel', () => {
  it('accepts the four kinds of document', () => {
    for (const model of [calibrationModel(), verificationModel(), testReportModel(), failureNoticeModel()])
      expect(() => validateCertificateModel(model)).not.toThrow();
  });

  it('refuses a measured value that arrives as a JS number, naming the field', () => {
    const model = calibrationModel();
    (model.results[0].rows[2] as unknown as Record<string, unknown>).error = 0.002;
    const e = problem(model);
    expect(e.field).toBe('results[0].rows[2].error');
    expect(e.message).toContain('decimal string');
  });

  it('wants real calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('12/03/2026')).toBe(false);
    expect(problem(calibrationModel({ issueDate: '2026-13-01' })).field).toBe('issueDate');
    expect(problem(calibrationModel({ measurementDates: [] })).field).toBe('measurementDates');
  });

  it('needs the coverage probability whenever an expanded uncertainty is stated (7.8.4)', () => {
    expect(problem(calibrationModel({ uncertainty: undefined })).field).toBe('uncertainty');
  });

  it('needs a decision rule with a conformity statement (ILAC-G8)', () => {
    expect(problem(calibrationModel({ decisionRule: undefined })).field).toBe('decisionRule');
  });

  it('needs a verdict, and a validity date when a verification passes', () => {
    expect(problem(verificationModel({ conformity: undefined })).field).toBe('conformity');
    expect(problem(verificationModel({ verification: { type: 'periodic' } })).field).toBe('verification.validUntil');
    expect(() =>
      validateCertificateModel(
        verificationModel({ conformity: { decision: 'fail' }, verification: { type: 'periodic' } }),
      ),
    ).not.toThrow();
  });

  it('needs the standards used, or a traceability statement, for calibration and verification', () => {
    expect(problem(calibrationModel({ standards: [] })).field).toBe('standards');
    expect(() =>
      validateCertificateModel(calibrationModel({ standards: [], traceabilityStatement: 'Liên kết chuẩn qua …' })),
    ).not.toThrow();
  });

  it('needs what and why for an amendment', () => {
    expect(problem(calibrationModel({ amendment: { replaces: 'HC-2026/000100', reason: ' ' } })).field).toBe(
      'amendment.reason',
    );
  });

  it('needs an http(s) verification URL for the QR code', () => {
    expect(problem(calibrationModel({ verificationUrl: 'javascript:alert(1)' })).field).toBe('verificationUrl');
  });

  describe('a notice of failed verification', () => {
    it('lists its failing points', () => {
      expect(failingRows(failureNoticeModel()).map((f) => f.row.label)).toEqual(['Qmin']);
    });

    it('refuses a notice that lists no failing point', () => {
      const model = failureNoticeModel();
      model.results[0].rows[2].decision = 'pass';
      expect(problem(model).field).toBe('results');
    });

    it('refuses a notice whose verdict is not KHÔNG ĐẠT, conditional included', () => {
      expect(problem(failureNoticeModel({ conformity: { decision: 'pass' } })).field).toBe('conformity.decision');
      expect(problem(failureNoticeModel({ conformity: { decision: 'conditional_fail' } })).field).toBe(
        'conformity.decision',
      );
      expect(problem(failureNoticeModel({ conformity: undefined })).field).toBe('conformity.decision');
    });

    it('refuses a validity date or a stamp: a failed instrument has neither', () => {
      expect(problem(failureNoticeModel({ verification: { type: 'periodic', validUntil: '2027-03-11' } })).field).toBe(
        'verification.validUntil',
      );
      expect(
        problem(failureNoticeModel({ verification: { type: 'periodic', stampNumber: 'TEM-2026-000001' } })).field,
      ).toBe('verification.stampNumber');
      expect(problem(failureNoticeModel({ verification: undefined })).field).toBe('verification');
    });
  });
});
