import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ACCESS_METADATA, type AccessPolicy } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';
import { expectStatus, type Body } from './support/http.js';

const run = promisify(execFile);
const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  key: string;
  op: OperationObject & { 'x-access'?: string[] };
}

function operations(doc: OpenAPIObject): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    VERBS.filter((v) => item[v]).map((v) => ({ key: `${v.toUpperCase()} ${path}`, op: item[v]! })),
  );
}

/** Redocly CLI as CI runs it: `redocly lint --format=json` with the repository's redocly.yaml. */
async function redoclyLint(file: string): Promise<{ errors: string[]; warnings: number }> {
  const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const config = join(process.cwd(), 'redocly.yaml');
  const out = await run(process.execPath, [cli, 'lint', file, '--config', config, '--format=json'], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const report = JSON.parse(out.stdout) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  const errors = report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  return { errors, warnings: report.problems.filter((p) => p.severity === 'warn').length };
}

/** Bare `type: object` with nothing said about its members: generated clients make it `{}`/never. */
function untypedObjects(doc: OpenAPIObject): string[] {
  const found: string[] = [];
  const walk = (s: SchemaObject | undefined, where: string): void => {
    if (!s || typeof s !== 'object') return;
    const shaped = s.properties || s.additionalProperties || s.allOf || s.oneOf || s.anyOf || '$ref' in s;
    if (s.type === 'object' && !shaped) found.push(where);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v as SchemaObject, `${where}.${k}`);
    if (s.items) walk(s.items as SchemaObject, `${where}[]`);
  };
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) walk(schema as SchemaObject, name);
  return found;
}

describe('the OpenAPI contract (/docs-json)', () => {
  let sys: TestSystem;
  let doc: OpenAPIObject;
  let ops: Operation[];

  beforeAll(async () => {
    sys = await startTestSystem();
    doc = await expectStatus<OpenAPIObject>(sys.http().get('/docs-json'), 200);
    ops = operations(doc);
  });
  afterAll(async () => sys?.close());

  it('lints with 0 errors under Redocly’s recommended rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tdc-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(doc));
      const { errors } = await redoclyLint(file);
      expect(errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('declares security on every operation: none for public ones, what the AccessGuard admits for the rest', () => {
    // The policy each handler carries, read as the guard reads it, by the operation's readable id.
    const reflector = new Reflector();
    const policies = new Map<string, AccessPolicy | undefined>();
    for (const wrapper of new DiscoveryService(sys.app.get(ModulesContainer)).getControllers()) {
      const type = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!type) continue;
      const proto = type.prototype as Record<string, (...a: unknown[]) => unknown>;
      for (const name of new MetadataScanner().getAllMethodNames(proto)) {
        if (Reflect.getMetadata(PATH_METADATA, proto[name]!) === undefined) continue;
        policies.set(`${type.name}.${name}`, reflector.getAllAndOverride(ACCESS_METADATA, [proto[name]!, type]));
      }
    }
    expect(ops.length).toBe(policies.size);
    const wrong: string[] = [];
    for (const { key, op } of ops) {
      const schemes = (op.security ?? [{ missing: [] }]).flatMap((r) => Object.keys(r)).sort();
      const access = op['x-access'] ?? [];
      if (!op.security) wrong.push(`${key}: no security`);
      else if (access.includes('public')) {
        if (schemes.length) wrong.push(`${key}: public but asks for ${schemes}`);
      } else {
        const expected = [
          ...(access.includes('business') ? ['business'] : []),
          ...(access.some((a) => a !== 'business') ? ['staff'] : []),
        ];
        if (schemes.join() !== expected.join()) wrong.push(`${key}: ${schemes} for ${access}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every policy in the app appears as some operation's x-access: nothing was derived from elsewhere.
    const declared = [...policies.values()].map((p) => (p?.public ? 'public' : p?.audiences.join())).sort();
    const documented = ops.map(({ op }) => (op['x-access'] ?? []).join()).sort();
    expect(documented).toEqual(declared);
  });

  it('does not offer a business key where the guard refuses one (issue 12: accept … close)', () => {
    const business = (key: string) =>
      ops.find((o) => o.key === key)!.op.security!.some((r) => Object.keys(r).includes('business'));
    for (const action of ['accept', 'items/{itemId}/schedule', 'items/{itemId}/receive', 'items/{itemId}/start'])
      expect(business(`POST /requests/{id}/${action}`)).toBe(false);
    for (const action of ['items/{itemId}/return', 'items/{itemId}/close'])
      expect(business(`POST /requests/{id}/${action}`)).toBe(false);
    expect(business('POST /requests')).toBe(true);
    expect(business('GET /certificates/{id}/pdf')).toBe(true);
    const publicOps = ops.filter(
      ({ key }) => /^\w+ \/(public|verify|health)\//.test(key) || key === 'POST /auth/login',
    );
    expect(publicOps.length).toBeGreaterThan(6);
    for (const { key, op } of publicOps) expect([key, op.security]).toEqual([key, []]);
  });

  it('names operations resource.method, uniquely', () => {
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['requests.create', 'certificates.pdf', 'public.certificate']));
  });

  it('gives every success a schema and every error the shared problem+json schema', () => {
    const wrong: string[] = [];
    for (const { key, op } of ops) {
      const responses = Object.entries(op.responses) as [string, ResponseObject][];
      const successes = responses.filter(([s]) => s.startsWith('2'));
      if (!successes.length && op.operationId !== 'results.editInPlace') wrong.push(`${key}: no 2xx`);
      for (const [status, r] of successes)
        if (status !== '204' && !Object.values(r.content ?? {}).some((c) => c.schema)) wrong.push(`${key} ${status}`);
      for (const [status, r] of responses.filter(([s]) => Number(s) >= 400)) {
        const html = key.startsWith('GET /verify/') && status === '404';
        // Readiness answers 503 with Terminus's body naming what is down, for probes and operators.
        if (key === 'GET /health/ready' && status === '503') {
          const readiness = r.content?.['application/json']?.schema as { $ref?: string };
          if (readiness?.$ref !== '#/components/schemas/ReadinessView') wrong.push(`${key} ${status}`);
          continue;
        }
        const schema = r.content?.[html ? 'text/html' : 'application/problem+json']?.schema as { $ref?: string };
        if (!schema || (!html && schema.$ref !== '#/components/schemas/ProblemView')) wrong.push(`${key} ${status}`);
      }
      // A public operation answers 401 only where it checks credentials itself (login, refresh).
      const checksCredentials = ['auth.login', 'auth.refresh'].includes(op.operationId ?? '');
      const public_ = (op['x-access'] ?? []).includes('public') && !checksCredentials;
      if (!op.responses['401'] !== public_) wrong.push(`${key}: 401 vs access`);
    }
    expect(wrong).toEqual([]);
    expect(untypedObjects(doc)).toEqual([]);
  });

  it('declares the headers and content types clients need', () => {
    const op = (key: string): Body => ops.find((o) => o.key === key)!.op;
    const posts = ops.filter(({ key }) => key.startsWith('POST '));
    for (const { key } of posts)
      expect([key, op(key).parameters.some((p: Body) => p.name === 'Idempotency-Key')]).toEqual([key, true]);
    expect(Object.keys(op('GET /certificates/{id}/pdf').responses['200'].content)).toEqual(['application/pdf']);
    expect(Object.keys(op('POST /public/certificates/verify').requestBody.content)).toEqual(['multipart/form-data']);
    const lookup = op('GET /public/certificates/{number}').responses;
    expect(Object.keys(lookup['200'].headers)).toEqual(expect.arrayContaining(['RateLimit-Remaining']));
    expect(Object.keys(lookup['429'].headers)).toEqual(expect.arrayContaining(['Retry-After']));
    expect(lookup['404'].content['application/problem+json']).toBeDefined();
    expect(Object.keys(op('POST /auth/login').responses['429'].headers)).toEqual(['Retry-After']);
    const id = op('GET /requests/{id}').parameters.find((p: Body) => p.name === 'id');
    expect(id).toMatchObject({ schema: { type: 'string', format: 'uuid' } });
  });

  it('types the fields generated clients once saw as {} or never', () => {
    const schemas = doc.components!.schemas as Record<string, SchemaObject>;
    for (const field of ['model', 'accuracyClass', 'rangeMin', 'rangeMax', 'resolution'])
      expect([field, schemas.CreateInstrumentDto!.properties![field]]).toEqual([
        field,
        expect.objectContaining({ type: 'string' }),
      ]);
    expect(schemas.CertificateView!.properties!.number).toMatchObject({ type: 'string' });
    const ok = (key: string) =>
      (ops.find((o) => o.key === key)!.op.responses['200'] as ResponseObject).content!['application/json']!.schema;
    expect(ok('GET /certificates/{id}')).toEqual({ $ref: '#/components/schemas/CertificateView' });
    expect(ok('GET /certificate-issues/{resultRevisionId}')).toEqual({
      $ref: '#/components/schemas/CertificateIssueView',
    });
    expect(ok('GET /public/certificates/{number}')).toEqual({ $ref: '#/components/schemas/PublicCertificateView' });
  });
});
