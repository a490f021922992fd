// Entry point for the TypeORM CLI (npm run migration:*). Needs DATABASE_URL: the embedded
// database is started only by `npm start`, which also applies migrations by itself.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './index.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required for the migration CLI (e.g. postgres://postgres@127.0.0.1:5432/tdc_lims)');
  process.exit(1);
}

export default new DataSource(dataSourceOptions(url));
