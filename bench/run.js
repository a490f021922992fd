#!/usr/bin/env node
// `npm run bench [-- name …]`: builds (npm's prebench step is the build in the script), then runs each
// benchmark in its own process, one after the other: the compiled dist/bench/<name>.bench.js and the
// plain bench/<name>.js scripts. Without names, runs every benchmark found. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'dist', 'bench');
if (!existsSync(dir)) {
  console.error('bench: dist/bench does not exist; run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const scripts = new Map();
for (const f of readdirSync(dir).filter((f) => f.endsWith('.bench.js')))
  scripts.set(f.slice(0, -'.bench.js'.length), join(dir, f));
for (const f of readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.js') && f !== 'run.js'))
  scripts.set(f.slice(0, -'.js'.length), join(root, 'bench', f));
const available = [...scripts.keys()].sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(1);
}
let failed = 0;
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== bench ${name} ===`);
  const run = spawnSync(process.execPath, [scripts.get(name)], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (exit ${run.status ?? run.signal})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
