#!/usr/bin/env node
// Why: npm 11 records only the optional native packages it could resolve for this platform in
// package-lock.json (npm/cli#8320, #8805), and the registry reachable from our machines lacks many
// off-platform builds, so `npm ci` then refuses the lock file ("Missing: … from lock file").
// This adds each missing off-platform optional entry (the version the parent pins, with os/cpu/libc
// taken from the registry's metadata of that package) so `npm ci` accepts the lock; npm never
// downloads them on a platform they don't match. Run it after changing dependencies:
//   npm install <pkg> && node scripts/complete-lockfile.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const pkgs = lock.packages;

function resolveFrom(location, name) {
  let dir = location;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (pkgs[candidate]) return candidate;
    if (!dir) return undefined;
    const idx = dir.lastIndexOf('/node_modules/');
    dir = idx === -1 ? '' : dir.slice(0, idx);
  }
}

function view(spec, fields) {
  try {
    const raw = execFileSync('npm', ['view', spec, '--json', ...fields], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const data = JSON.parse(raw);
    return Array.isArray(data) ? data[data.length - 1] : data;
  } catch {
    return undefined;
  }
}

/** Platform fields of a package: from the wanted version if the registry has it, else from its latest. */
function platformOf(name, range) {
  const fields = ['version', 'dist.integrity', 'os', 'cpu', 'libc', 'license'];
  const exact = view(`${name}@${range}`, fields);
  if (exact) return { ...exact, found: true };
  const latest = view(name, fields);
  if (latest) return { ...latest, version: range.replace(/^[\^~=]/, ''), 'dist.integrity': undefined, found: false };
  const m =
    /-(darwin|linux|win32|freebsd|android|openbsd|sunos|aix|netbsd)-(arm64|x64|arm|ia32|ppc64|s390x|riscv64|loong64|mips64el|wasm32)/.exec(
      name,
    );
  return {
    version: range.replace(/^[\^~=]/, ''),
    os: m ? [m[1]] : undefined,
    cpu: m ? [m[2]] : undefined,
    found: false,
  };
}

let added = 0;
for (const [location, entry] of Object.entries({ ...pkgs })) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolveFrom(location, name)) continue;
    const meta = platformOf(name, range);
    if (!meta.os && !meta.cpu) {
      console.warn(`skipped ${name}@${range} (required by ${location || 'the root'}): not a platform package`);
      continue;
    }
    const hoisted = `node_modules/${name}`;
    const target = pkgs[hoisted] ? `${location}/node_modules/${name}` : hoisted;
    const record = { version: meta.version };
    if (meta['dist.integrity']) record.integrity = meta['dist.integrity'];
    for (const f of ['cpu', 'libc', 'license', 'os']) if (meta[f] !== undefined) record[f] = meta[f];
    record.optional = true;
    pkgs[target] = record;
    added += 1;
    console.log(`added ${target}@${meta.version}${meta.found ? '' : ' (not in the registry here)'}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`${added} optional platform entries added`);
