#!/usr/bin/env node
// `npm run bench [-- name …]` (npm builds first): runs every benchmark — compiled dist/bench/<name>.bench.js
// and plain bench/<name>.js — or only those named, each in a process of its own, one after the other.
// Not part of `npm test`.
//
// A benchmark module either runs by itself when imported, or exports `name` and a default
// `async (ctx) => [{ metric, value, unit, target?, better? }]` (better: 'lower' (default) or 'higher');
// results with a target say whether they met it, and are written to bench/results/<name>-<time>.json
// (not committed). The exit code is 1 when a benchmark failed or missed a target.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const built = join(here, '..', 'dist', 'bench');

/** In a child: import one module and, if it exports a benchmark function, run it and report. */
async function runOne(file) {
  const mod = await import(pathToFileURL(join(built, file)).href);
  if (typeof mod.default !== 'function') return 0;
  const name = mod.name ?? file.replace(/\.bench\.js$/, '');
  const results = await mod.default({ log: (line) => console.log(`   ${line}`) });
  let missed = 0;
  for (const r of results) {
    const higher = r.better === 'higher';
    const met = r.target === undefined || (higher ? r.value >= r.target : r.value <= r.target);
    if (!met) missed++;
    const verdict =
      r.target === undefined ? '' : `  ${met ? '✓' : '✗'} target ${higher ? '≥' : '≤'} ${r.target} ${r.unit}`;
    console.log(
      `   ${r.metric.padEnd(62)} ${String(r.value).padStart(10)} ${r.unit}${verdict}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(here, 'results', `${name}-${stamp}.json`),
    JSON.stringify({ name, at: new Date().toISOString(), results }, null, 2),
  );
  return missed;
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  const missed = await runOne(args[1]);
  process.exit(missed ? 1 : 0);
}

if (!existsSync(built)) {
  console.error('bench: dist/bench does not exist; run `npm run build` first (npm run bench does)');
  process.exit(1);
}
// Compiled TypeScript benchmarks (bench/*.bench.ts → dist/bench/*.bench.js), and plain scripts bench/*.js.
const compiled = readdirSync(built)
  .filter((f) => f.endsWith('.bench.js'))
  .map((f) => f.slice(0, -'.bench.js'.length));
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .map((f) => f.slice(0, -'.js'.length));
const available = [...new Set([...compiled, ...scripts])].sort();
const unknown = args.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(1);
}
let failed = 0;
for (const name of args.length ? args : available) {
  console.log(`\n=== bench ${name} ===`);
  const argv = compiled.includes(name)
    ? [fileURLToPath(import.meta.url), '--one', `${name}.bench.js`]
    : [join(here, `${name}.js`)];
  const run = spawnSync(process.execPath, argv, {
    stdio: 'inherit',
    cwd: join(here, '..'),
  });
  if (run.status !== 0) {
    console.error(
      `bench ${name}: ${run.status === 1 ? 'missed a target' : `failed (exit ${run.status ?? run.signal})`}`,
    );
    failed++;
  }
}
process.exit(failed ? 1 : 0);
