import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { DOCUMENT_FILE } from './contract-files.js';
import { recordChecked, recordMismatch, recordSkipped } from './contract-mismatches.js';

/**
 * Every response the e2e suites receive, checked against the committed OpenAPI document
 * (contract/openapi.json, which test/contract-files.e2e-spec.ts keeps equal to what the code
 * generates): the status is one the operation declares, the content type one declared for that
 * status, and a JSON body valid against the declared schema. Mismatches are collected per test file
 * (contract-mismatches.ts) and fail that file.
 *
 * Ajv compiles each (operation, status, media type) schema once, on first use, per test file's
 * module registry; the document is read and prepared once per registry too.
 */

/** Routes that are not the API and so not in the document: answered by Swagger UI and bull-board. */
export const UNDOCUMENTED_ROUTES: readonly RegExp[] = [
  /^\/docs(-json|-yaml)?(\/|$)/, // Swagger UI and the document itself
  /^\/admin\/queues(\/|$)/, // bull-board's pages, static files and JSON (its own API, not ours)
];

/**
 * The staff web app (apps/api/src/web.ts), not in the document either: its page and files answer a
 * GET of a path under no API segment (an unknown path asked for JSON still gets the API's 404, checked).
 */
export function isWebApp(method: string, res: Pick<ObservedResponse, 'status' | 'contentType'>): boolean {
  const media = res.contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
  return ['GET', 'HEAD'].includes(method.toUpperCase()) && res.status < 400 && !isJson(media);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Operation {
  key: string;
  pattern: RegExp;
  literals: number;
  responses: JsonObject;
}

/** OpenAPI 3.0's `nullable` as JSON Schema: `type: [t, 'null']`, or anyOf with null for a $ref/allOf. */
export function toJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'example' ? v : toJsonSchema(v);
  if (out.nullable !== true) return out;
  delete out.nullable;
  // Beside $ref/allOf (Nest's nullable object), `type` does not admit null to the composed schema.
  const composed = ['$ref', 'allOf', 'oneOf', 'anyOf'].some((k) => k in out);
  if (composed || typeof out.type !== 'string') return { anyOf: [out, { type: 'null' }] };
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return { ...out, type: [out.type, 'null'] };
}

const DOC_ID = 'https://tdc-lims.local/openapi.json';

export class ResponseContract {
  private readonly ajv: Ajv;
  private readonly operations = new Map<string, Operation[]>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(doc: JsonObject) {
    // Referenced components compiled once as their own functions, without the optimiser: all 622
    // response schemas of the document compile in ~0.4 s instead of ~4.9 s (measured on this machine).
    this.ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false, code: { optimize: false } });
    formats.default(this.ajv);
    // OpenAPI's own formats: annotations for clients, nothing to check in a JSON body.
    for (const name of ['password', 'binary']) this.ajv.addFormat(name, true);
    const components = toJsonSchema(doc.components ?? {}) as JsonObject;
    this.ajv.addSchema({ $id: DOC_ID, components }, DOC_ID);
    for (const [path, item] of Object.entries(doc.paths as JsonObject)) {
      for (const [verb, op] of Object.entries(item as JsonObject)) {
        const responses = (op as JsonObject).responses as JsonObject | undefined;
        if (!responses) continue;
        const segments = path.split('/');
        const operation: Operation = {
          key: `${verb.toUpperCase()} ${path}`,
          pattern: new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escape(s))).join('/')}$`),
          literals: segments.filter((s) => !s.startsWith('{')).length,
          responses,
        };
        const list = this.operations.get(verb.toUpperCase()) ?? [];
        list.push(operation);
        this.operations.set(verb.toUpperCase(), list);
      }
    }
    // `/requests/batch` before `/requests/{id}`: the more fixed segments, the more specific.
    for (const list of this.operations.values()) list.sort((a, b) => b.literals - a.literals);
  }

  /** Compiles every response schema of the document (a schema Ajv cannot compile fails here, not mid-suite). */
  compileAll(): number {
    let n = 0;
    for (const list of this.operations.values())
      for (const op of list)
        for (const [status, response] of Object.entries(op.responses))
          for (const [media, entry] of Object.entries(((response as JsonObject).content ?? {}) as JsonObject)) {
            const schema = (entry as JsonObject).schema;
            if (!schema || !isJson(media)) continue;
            this.validator(`${op.key} ${status} ${media}`, schema);
            n++;
          }
    return n;
  }

  operation(method: string, path: string): Operation | undefined {
    return this.operations.get(method.toUpperCase())?.find((o) => o.pattern.test(path));
  }

  /** What is wrong with this response under the document, or undefined when it conforms. */
  check(op: Operation, res: ObservedResponse): string | undefined {
    const declared = (op.responses[String(res.status)] ??
      op.responses[`${String(res.status)[0]}XX`] ??
      op.responses.default) as JsonObject | undefined;
    if (!declared) return `status ${res.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`;
    const content = declared.content as JsonObject | undefined;
    const media = res.contentType?.split(';')[0]!.trim().toLowerCase();
    if (!content) return media && res.hasBody ? `${res.status} declares no body, got ${media}` : undefined;
    if (!media || !res.hasBody) return res.status === 204 ? undefined : `${res.status} declares a body, got none`;
    const entry = content[media] as JsonObject | undefined;
    if (!entry) return `${res.status} declares ${Object.keys(content).join(', ')}, got ${media}`;
    if (!entry.schema || !isJson(media)) return undefined;
    const validate = this.validator(`${op.key} ${res.status} ${media}`, entry.schema);
    if (validate(res.body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => {
      const got = JSON.stringify(valueAt(res.body, e.instancePath)) ?? 'undefined';
      return `body${e.instancePath} ${e.message ?? 'is invalid'} (got ${got.slice(0, 80)})`;
    });
    return `${res.status} ${media} ${errors.join('; ')}`;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(toJsonSchema(schema)) as JsonObject);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** `#/components/…` refs, as written in an operation, made absolute against the document's id. */
function rebase(value: Json): Json {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `${DOC_ID}${v}` : rebase(v)]),
  );
}

/** The value at a JSON pointer (as Ajv's instancePath gives it) in a parsed body. */
function valueAt(body: unknown, pointer: string): unknown {
  let here = body;
  for (const part of pointer.split('/').slice(1)) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return here;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isJson = (media: string): boolean => media === 'application/json' || media.endsWith('+json');

/** A response as seen by a test client. */
export interface ObservedResponse {
  status: number;
  contentType: string | undefined;
  /** The response carried a body (not an empty one). */
  hasBody: boolean;
  /** The parsed JSON body (for a JSON media type). */
  body: unknown;
}

let contract: ResponseContract | undefined;
function loaded(): ResponseContract {
  contract ??= new ResponseContract(JSON.parse(readFileSync(join(process.cwd(), DOCUMENT_FILE), 'utf8')) as JsonObject);
  return contract;
}

/** The path as sent, not as WHATWG URL normalises it: `/requests/../reject` must not read as `/reject`. */
export function requestPath(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0] || '/';
}

/** Checks one response and records the outcome for this test file (never throws for a mismatch). */
export function checkResponse(method: string, url: string, res: ObservedResponse): void {
  const path = requestPath(url);
  if (UNDOCUMENTED_ROUTES.some((r) => r.test(path))) return recordSkipped();
  const request = `${method.toUpperCase()} ${path}`;
  const c = loaded();
  const op = c.operation(method, path);
  if (!op && isWebApp(method, res)) return recordSkipped();
  let problem: string | undefined;
  if (op) problem = c.check(op, res);
  // A path the API does not have: the router's 404, which must be problem+json like every error.
  else if (res.status === 404) problem = c.check(NOT_FOUND, res);
  else problem = `no operation in the document for ${request} (answered ${res.status})`;
  recordChecked();
  if (problem) recordMismatch({ request, operation: op?.key ?? null, status: res.status, problem });
}

const NOT_FOUND: Operation = {
  key: 'unknown route',
  pattern: /$^/,
  literals: 0,
  responses: {
    '404': {
      description: 'Not found',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } },
    },
  },
};
