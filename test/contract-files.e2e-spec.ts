import { contractFiles, staleFiles, writeContractFiles } from './support/contract-files.js';
import { expectStatus } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * contract/openapi.json and contract/schema.d.ts are what the current code generates: a change to
 * the API's contract shows in review as a change to these files. `npm run api:types` (this spec with
 * WRITE_CONTRACT=1) writes them.
 */
describe('the committed contract (contract/)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.close());

  it('is what the code generates (run `npm run api:types` after changing the API)', async () => {
    const doc = await expectStatus<object>(sys.http().get('/docs-json'), 200);
    const files = await contractFiles(doc);
    if (process.env.WRITE_CONTRACT === '1') await writeContractFiles(process.cwd(), files);
    expect(await staleFiles(process.cwd(), files)).toEqual([]);
  }, 120_000);
});
