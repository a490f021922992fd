// Runs the slowest test files first, so that two jest workers finish together instead of one
// waiting out a long suite at the end. Jest does this itself from the durations it caches, but a
// clean clone (CI) has no cache: it would then order by file size, and a long e2e suite that is a
// small file (a worker killed mid-batch, a browser journey) could start last. The committed
// durations (suite-durations.json, seconds, from a full `npm test` on the development machine) fill
// in where jest's cache knows nothing; a file in neither goes first (new suites are often e2e).
// Refresh it after adding slow suites: `npm test -- --json --outputFile=/tmp/run.json`, then write each
// testResults[].name (relative) → (endTime - startTime) / 1000.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import Sequencer from '@jest/test-sequencer';

const committed = JSON.parse(readFileSync(new URL('./suite-durations.json', import.meta.url), 'utf8'));

class SlowestFirst extends Sequencer {
  sort(tests) {
    const cache = new Map(tests.map((t) => [t, this._getCache(t)[t.path]?.[1]]));
    const seconds = (t) => {
      const cached = cache.get(t);
      if (cached) return cached / 1000;
      const known = committed[relative(t.context.config.rootDir, t.path)];
      return known ?? Number.POSITIVE_INFINITY;
    };
    return [...tests].sort((a, b) => seconds(b) - seconds(a));
  }
}

export default SlowestFirst;
