import { writeFileReport } from './contract-mismatches.js';

/**
 * Jest setupFilesAfterEnv: after each test file, its response-contract findings are written to
 * test-artifacts/contract-mismatches/ and the file fails if any response broke the contract.
 */
afterAll(() => {
  const report = writeFileReport(expect.getState().testPath ?? 'unknown');
  if (report?.mismatches.length) {
    const lines = report.mismatches.map((m) => `  ${m.request} → ${m.problem}`);
    throw new Error(`${report.mismatches.length} response(s) break the OpenAPI contract:\n${lines.join('\n')}`);
  }
});
