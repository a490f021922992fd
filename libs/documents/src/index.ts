export * from './certificate-model.js';
export * from './fonts.js';
export * from './qr.js';
export { formatDate, type Bilingual } from './labels.js';
export * from './render-certificate.js';
