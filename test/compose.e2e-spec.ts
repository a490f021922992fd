// Static checks of the container set-up (no Docker engine is needed): docker-compose.yml,
// docker/Dockerfile and .dockerignore agree with each other and with the configuration the app knows.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { Env } from '#libs/core';
import { ROOT } from './support/processes.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; disable?: boolean };
  volumes?: string[];
  ports?: string[];
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const APP_VARIABLES = [...Object.keys(new Env()), 'DATABASE_URL', 'MIGRATION_DATABASE_URL', 'REDIS_URL'];
const APPS = ['api', 'worker'] as const;

/** The instructions of the last stage of a Dockerfile, continuation lines joined. */
function finalStage(dockerfile: string): string[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0);
  return lines.slice(from[from.length - 1]);
}

describe('docker-compose.yml', () => {
  it('has postgres, redis, api and worker, each with a healthcheck', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'api', 'worker']));
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, healthcheck: service.healthcheck?.test }).toEqual({ name, healthcheck: expect.anything() });
      expect(service.healthcheck?.disable).not.toBe(true);
    }
    expect(compose.services.postgres.image).toMatch(/^postgres:16/);
    expect(compose.services.redis.image).toMatch(/^redis:7/);
    expect(String(compose.services.postgres.healthcheck?.test)).toContain('pg_isready');
    expect(String(compose.services.redis.healthcheck?.test)).toContain('redis-cli ping');
    expect(String(compose.services.api.healthcheck?.test)).toContain('/health/ready');
  });

  it.each(APPS)('starts %s only once postgres and redis are healthy', (name) => {
    expect(compose.services[name].depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('lets only the api migrate; the worker waits for a healthy api', () => {
    const { api, worker } = compose.services;
    expect(String(api.environment?.RUN_MIGRATIONS ?? 'true')).toBe('true');
    expect(String(worker.environment?.RUN_MIGRATIONS)).toBe('false');
    expect(worker.depends_on?.api).toEqual({ condition: 'service_healthy' });
    expect(worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(api.ports).toContain('3000:3000');
  });

  it.each(APPS)(
    'gives %s only variables the application knows, with DATABASE_URL, REDIS_URL and DATA_DIR=/data',
    (name) => {
      const environment = compose.services[name].environment ?? {};
      expect(Object.keys(environment).filter((key) => !APP_VARIABLES.includes(key))).toEqual([]);
      expect(environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(environment.REDIS_URL).toMatch(/^redis:\/\/.*@redis:6379/);
      expect(environment.DATA_DIR).toBe('/data');
    },
  );

  it('connects api and worker as tdc_app; only the api has the owner URL, for migrations; postgres creates tdc_app', () => {
    const { api, worker, postgres } = compose.services;
    for (const app of [api, worker]) expect(String(app.environment?.DATABASE_URL)).toMatch(/^postgres:\/\/tdc_app:/);
    expect(String(api.environment?.MIGRATION_DATABASE_URL)).toMatch(/^postgres:\/\/\$\{POSTGRES_USER:-lims\}:/);
    expect(worker.environment?.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(postgres.volumes).toContain('./docker/postgres-init:/docker-entrypoint-initdb.d:ro');
    const init = readFileSync(resolve(ROOT, 'docker/postgres-init/10-application-role.sh'), 'utf8');
    expect(init).toMatch(/CREATE ROLE tdc_app LOGIN NOSUPERUSER .*PASSWORD :'app_password'/);
    expect(postgres.environment?.POSTGRES_APP_PASSWORD).toBeDefined();
  });

  it('shares the lims-data volume at /data between api and worker and keeps pgdata', () => {
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'lims-data']));
    for (const name of APPS) expect(compose.services[name].volumes).toContain('lims-data:/data');
    expect(compose.services.postgres.volumes).toContain('pgdata:/var/lib/postgresql/data');
  });

  it('has no secret with a default value: passwords must come from the environment (${VAR:?…})', () => {
    const text = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    // $${VAR} is escaped: expanded by the container's shell, not by Compose.
    const references = [...text.matchAll(/(?<!\$)\$\{(\w+)([^}]*)\}/g)];
    expect(references.length).toBeGreaterThan(0);
    for (const [whole, name, rest] of references) {
      // A bare ${VAR} silently becomes empty: every reference says what happens when it is unset.
      expect({ whole, ok: rest.startsWith(':-') || rest.startsWith(':?') }).toEqual({ whole, ok: true });
      if (/PASSWORD|SECRET|KEY|TOKEN/.test(name))
        expect({ whole, required: rest.startsWith(':?') }).toEqual({ whole, required: true });
    }
  });

  it.each(APPS)('builds %s from a Dockerfile that exists', (name) => {
    const build = compose.services[name].build;
    expect(build).toBeDefined();
    expect(existsSync(resolve(ROOT, build!.context, build!.dockerfile))).toBe(true);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(
    resolve(ROOT, compose.services.api.build!.context, compose.services.api.build!.dockerfile),
    'utf8',
  );
  const runtime = finalStage(dockerfile);

  it('runs the final stage as a non-root user', () => {
    const users = runtime.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /health/live and starts the compiled API', () => {
    expect(runtime.find((l) => /^HEALTHCHECK\s/i.test(l))).toContain('/health/live');
    expect(runtime).toContain('CMD ["node", "dist/apps/api/src/main.js"]');
  });

  it('installs only production dependencies in the runtime image, built by npm ci', () => {
    expect(dockerfile).toMatch(/RUN npm ci --no-audit/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(runtime.join('\n')).not.toMatch(/RUN npm (ci|install)(?!.*--omit=dev)/);
    expect(runtime.join('\n')).toMatch(/^FROM node:20-bookworm-slim|^FROM \$\{NODE_IMAGE\}/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  });

  it('copies only paths that exist, and package.json (its import map) into the runtime image', () => {
    for (const line of dockerfile.split('\n').filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))) {
      const sources = line
        .split(/\s+/)
        .slice(1, -1)
        .filter((s) => !s.startsWith('--'));
      for (const source of sources)
        expect({ source, exists: existsSync(resolve(ROOT, source)) }).toEqual({ source, exists: true });
    }
    expect(runtime).toContain('COPY package.json ./');
  });

  it('keeps node_modules, dist and local data out of the build context', () => {
    const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git', '.env']));
  });
});

describe('.env.example', () => {
  const text = readFileSync(resolve(ROOT, '.env.example'), 'utf8');
  const documented = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => ({ name, value }));

  it('documents every variable the application reads, with its default where it has one', () => {
    const defaults = new Env() as unknown as Record<string, unknown>;
    for (const name of APP_VARIABLES) {
      const entry = documented.find((d) => d.name === name);
      expect({ name, documented: entry !== undefined }).toEqual({ name, documented: true });
      if (defaults[name] !== undefined)
        expect({ name, value: entry?.value }).toEqual({ name, value: String(defaults[name]) });
    }
  });

  it('documents every variable docker-compose.yml interpolates', () => {
    const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    const used = new Set([...compose.matchAll(/(?<!\$)\$\{(\w+)/g)].map(([, name]) => name));
    expect([...used].filter((name) => !documented.some((d) => d.name === name))).toEqual([]);
  });
});
