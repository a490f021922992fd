#!/usr/bin/env node
// Runs the benchmarks (`npm run bench` builds first): every dist/bench/*.bench.js, or only those named,
// e.g. `node bench/run.js requests-10k`. Each module exports `name` and a default
// `async (ctx) => [{ metric, value, unit, target?, note? }]`; a metric with a target says whether it met it.
// Results are printed and written to bench/results/<name>-<timestamp>.json (not committed).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const built = join(here, '..', 'dist', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(built)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.js$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ') || '*'} in ${built} (run \`npm run build\` first)`);
  process.exit(1);
}

let missed = 0;
mkdirSync(join(here, 'results'), { recursive: true });
for (const file of files) {
  const mod = await import(pathToFileURL(join(built, file)).href);
  const name = mod.name ?? file.replace(/\.bench\.js$/, '');
  console.log(`\n== ${name}`);
  const results = await mod.default({ log: (line) => console.log(`   ${line}`) });
  for (const r of results) {
    const verdict =
      r.target === undefined
        ? ''
        : r.value <= r.target
          ? `  ✓ target ${r.target} ${r.unit}`
          : `  ✗ target ${r.target} ${r.unit}`;
    if (r.target !== undefined && r.value > r.target) missed++;
    console.log(
      `   ${r.metric.padEnd(58)} ${String(r.value).padStart(9)} ${r.unit}${verdict}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(here, 'results', `${name}-${stamp}.json`),
    JSON.stringify({ name, at: new Date().toISOString(), results }, null, 2),
  );
}
process.exit(missed ? 1 : 0);
