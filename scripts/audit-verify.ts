// npm run audit:verify — checks the hash chain of the audit trail (npm run build first).
// Exit code 0: intact; 1: broken (the first broken entry is named); 2: could not check.
// The database is DATABASE_URL, or, without it, the embedded one under DATA_DIR (stop `npm start` first).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditEventRepository, describeAuditChain, verifyAuditChain } from '#libs/audit';
import { loadEnv } from '#libs/core';
import { dataSourceOptions, prepareRuntime } from '#libs/platform';

async function main(): Promise<number> {
  // Read-only: no migrations, no first admin.
  const env = loadEnv({
    ...process.env,
    RUN_MIGRATIONS: 'false',
    ADMIN_USERNAME: undefined,
    ADMIN_PASSWORD: undefined,
  });
  const runtime = await prepareRuntime(env, { allowEmbedded: true, log: (line) => console.error(line) });
  const options = dataSourceOptions(runtime.databaseUrl);
  const dataSource = new DataSource({ ...options, extra: { ...(options.extra as object), max: 1 } });
  try {
    await dataSource.initialize();
    const report = await verifyAuditChain(new AuditEventRepository(dataSource));
    (report.valid ? console.log : console.error)(describeAuditChain(report));
    return report.valid ? 0 : 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await runtime.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`audit:verify: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
