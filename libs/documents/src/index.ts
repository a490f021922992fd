export * from './certificate-model.js';
export * from './fonts.js';
export * from './number-format.js';
export * from './qr.js';
export { formatDate, type Bilingual } from './labels.js';
export * from './render-certificate.js';
export * from './signing.js';
export * from './verify-signature.js';
export * from './dev-identity.js';
