// Jest globalTeardown (plain ESM: it runs outside Jest's module system): the run's response-contract
// findings from every test file, summarised in test-artifacts/contract-mismatches.json, and one line.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default function teardown() {
  const artifacts = join(process.cwd(), 'test-artifacts');
  const dir = join(artifacts, 'contract-mismatches');
  let reports = [];
  try {
    reports = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  } catch {
    return; // no test file checked a response
  }
  const summary = {
    files: reports.length,
    checked: reports.reduce((n, r) => n + r.checked, 0),
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    mismatches: reports.reduce((n, r) => n + r.mismatches.length, 0),
    byFile: Object.fromEntries(reports.filter((r) => r.mismatches.length).map((r) => [r.file, r.mismatches])),
  };
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, 'contract-mismatches.json');
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `response contract: ${summary.checked} responses checked in ${summary.files} test files, ` +
      `${summary.mismatches} mismatches (${file})`,
  );
}
