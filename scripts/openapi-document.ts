// npm run api:types: writes the OpenAPI document of the real application (every module, as
// /docs-json serves it) to the file named, without listening. Nest needs its database to build the
// application: DATABASE_URL, or the embedded one under DATA_DIR started for this command (as
// `npm start` would; with `npm start` running on the embedded database, set DATABASE_URL to it).
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { loadEnv } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { apiDocument, createApi } from '../apps/api/src/api.js';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/scripts/openapi-document.js <out.json>');
  const env = loadEnv({ ...process.env, LOG_LEVEL: 'silent', REDIS_URL: undefined });
  const runtime = await prepareRuntime(env, { allowEmbedded: true, log: (line) => console.error(line) });
  try {
    const app = await createApi(env, runtime.dataSource, runtime.backend);
    await writeFile(out, JSON.stringify(apiDocument(app), null, 2) + '\n');
    await app.close();
  } finally {
    await runtime.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`openapi-document: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
