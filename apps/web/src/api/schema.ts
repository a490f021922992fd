// The API's types have one source: contract/schema.d.ts (openapi-typescript from the app's own
// OpenAPI document; `npm run api:types` writes it, and `npm test` fails while it is stale).
export type { components, operations, paths } from '../../../../contract/schema';
