import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { ACCESS_METADATA, type AccessPolicy } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as } from './support/http.js';
import { staffSession, businessKey, createOrganization } from './support/factories.js';

interface Route {
  method: string;
  /** Express-style, e.g. /organizations/:id/api-keys */
  path: string;
  policy: AccessPolicy | undefined;
  handler: string;
}

/**
 * Express routes that are not controllers: Swagger's documentation (public by nature) and Nest's
 * catch-all `{/*splat}` that answers 404 for unknown paths.
 */
const NON_CONTROLLER_ROUTES = /^(\/docs|\{\/\*splat\}$)/;

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s.length > 0)
    .join('/');
  return `/${joined}`;
}

function asList(v: unknown): string[] {
  if (v === undefined) return [''];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Every controller route of the running app, with the access policy the guard will read. */
function controllerRoutes(sys: TestSystem): Route[] {
  const discovery = new DiscoveryService(sys.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: Route[] = [];
  const seen = new Set<unknown>();
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!type || seen.has(type)) continue;
    seen.add(type);
    const prototype = type.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const fn = prototype[name] as (...args: unknown[]) => unknown;
      const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, fn);
      if (methodPath === undefined) continue; // not a route handler
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod];
      const policy = reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [fn, type]);
      for (const base of asList(Reflect.getMetadata(PATH_METADATA, type))) {
        for (const sub of asList(methodPath))
          routes.push({ method, path: joinPath(base, sub), policy, handler: `${type.name}.${name}` });
      }
    }
  }
  return routes;
}

/** What express actually serves (Express 5 router), to prove the discovery above misses nothing. */
function expressRoutes(sys: TestSystem): string[] {
  const instance = sys.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return instance.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

function fill(path: string, id: () => string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, () => id());
}

describe('access sweep: every route declares who may call it and refuses everyone else', () => {
  let sys: TestSystem;
  let routes: Route[];
  let protectedRoutes: Route[];
  let foreignKey: string;
  let victim: { organizationId: string; apiKeyId: string; apiKeyPrefix: string };

  beforeAll(async () => {
    sys = await startTestSystem();
    routes = controllerRoutes(sys);
    protectedRoutes = routes.filter((r) => r.policy && !r.policy.public);
    // The victim has data a foreign business must never reach; the caller's organization is unrelated.
    const admin = await staffSession(sys, ['admin']);
    const organizationId = (await createOrganization(sys)).id;
    const key = await as(sys, admin)
      .post(`/organizations/${organizationId}/api-keys`)
      .send({ name: 'victim key' })
      .expect(201);
    victim = { organizationId, apiKeyId: key.body.id, apiKeyPrefix: key.body.prefix };
    foreignKey = await businessKey(sys, (await createOrganization(sys)).id);
  });
  afterAll(async () => sys?.close());

  const call = (route: Route, path: string) => {
    const req = sys.http()[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? req.send({}) : req;
  };

  it('finds the routes the app serves, and nothing the sweep would miss', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /auth/login',
        'GET /organizations/:id',
        'DELETE /organizations/:id/api-keys/:keyId',
        'POST /system/pings',
      ]),
    );
    const discovered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const served = expressRoutes(sys).filter((r) => !NON_CONTROLLER_ROUTES.test(r.split(' ')[1]!));
    expect(served.filter((r) => !discovered.has(r))).toEqual([]);
  });

  it('has an access policy (@Public or @Allow) on every route', () => {
    expect(routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.handler})`)).toEqual([]);
  });

  it('answers 401 to every non-public route called without credentials', async () => {
    const wrong: string[] = [];
    for (const route of protectedRoutes) {
      const path = fill(route.path, randomUUID);
      const res = await call(route, path);
      if (res.status !== 401 || res.body?.code !== 'auth.required')
        wrong.push(`${route.method} ${path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 or 404 to a business key of an unrelated organization (never 2xx, never 500)', async () => {
    const wrong: string[] = [];
    const leaks = [victim.organizationId, victim.apiKeyId, victim.apiKeyPrefix];
    for (const route of protectedRoutes) {
      const admitsBusiness = !route.policy!.public && route.policy!.audiences.includes('business');
      const hasParams = route.path.includes(':');
      // Placeholders: random ids, then the victim organization's id in every parameter.
      for (const path of new Set([fill(route.path, randomUUID), fill(route.path, () => victim.organizationId)])) {
        const res = await call(route, path).set('X-Api-Key', foreignKey);
        const body = JSON.stringify(res.body ?? {});
        let ok: boolean;
        if (!admitsBusiness) ok = res.status === 403 && res.body.code === 'access.denied';
        else if (hasParams) {
          // Body validation runs before the handler looks the resource up; a 400 reveals nothing.
          ok =
            res.status === 404 ||
            res.status === 403 ||
            (res.status === 400 && res.body.code === 'validation_failed' && route.method !== 'GET');
        } else {
          // Lists and "me": the caller's own data only, never the victim's.
          ok = res.status < 500 && res.status !== 401;
        }
        if (res.status >= 200 && res.status < 300 && leaks.some((l) => body.includes(l))) ok = false;
        if (!ok) wrong.push(`${route.method} ${path} → ${res.status} ${body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
