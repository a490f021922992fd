export * from './backup-archive.js';
export * from './installation.js';
export * from './manifest.js';
