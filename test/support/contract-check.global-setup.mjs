// Jest globalSetup (plain ESM: it runs outside Jest's module system): this run's response-contract
// findings (written per test file by contract-check.setup.ts) start empty.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export default function setup() {
  rmSync(join(process.cwd(), 'test-artifacts', 'contract-mismatches'), { recursive: true, force: true });
}
