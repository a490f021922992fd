#!/usr/bin/env node
// Builds the staff web app (apps/web) into dist/web with Vite, unless dist/web was built from the
// same sources: `npm run build` runs before every `npm start` and `npm test`, and a Vite build costs
// seconds that an unchanged app need not pay. The stamp is a hash of apps/web and the lock file.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const APP = join(ROOT, 'apps/web');
const OUT = join(ROOT, 'dist/web');
const STAMP = join(OUT, '.source-hash');

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const hash = createHash('sha256');
for (const file of [...files(APP), join(ROOT, 'package-lock.json')]) {
  hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
}
const digest = hash.digest('hex');

if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest && existsSync(join(OUT, 'index.html'))) {
  console.log('web: dist/web is up to date');
} else {
  const started = Date.now();
  await build({ configFile: join(APP, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, digest);
  console.log(`web: built dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
