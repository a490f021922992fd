// `npm run seed:catalogue`: idempotent upsert of the shipped instrument-type catalogue
// (libs/registry/data) and testing catalogue (libs/testing/data) into the database at DATABASE_URL.
// Types the staff have corrected, and limits an admin has confirmed, are left alone.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#libs/platform';
import { runCatalogueSeed } from '#libs/registry';
import { runTestingSeed } from '#libs/testing';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'DATABASE_URL is required (e.g. postgres://postgres@127.0.0.1:5432/tdc_lims); run the migrations first (npm run migration:run)',
    );
    process.exit(1);
  }
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const tables: unknown[] = await ds.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name = 'instrument_type'`,
    );
    if (!tables.length)
      throw new Error('the instrument_type table does not exist: run the migrations first (npm run migration:run)');
    const report = await runCatalogueSeed(ds, { onlyIfEmpty: false });
    console.log(
      `instrument-type catalogue: ${report!.typesInserted} inserted, ${report!.typesUpdated} updated, ${report!.typesUnchanged} unchanged, ` +
        `${report!.typesKeptStaffEdits.length} kept as corrected by staff${report!.typesKeptStaffEdits.length ? ` (${report!.typesKeptStaffEdits.join(', ')})` : ''}; ` +
        `${report!.cyclesInserted} verification cycles added`,
    );
    const testing = (await runTestingSeed(ds, { onlyIfEmpty: false }))!;
    console.log(
      `testing catalogue: ${testing.regulationsInserted} regulations, ${testing.productsInserted} products, ` +
        `${testing.parametersInserted} parameters, ${testing.methodsInserted} methods and ${testing.limitsInserted} limits inserted; ` +
        `${testing.limitsUpdated} limits updated, ${testing.limitsKeptConfirmed} kept as confirmed by an admin`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(`seed:catalogue failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
