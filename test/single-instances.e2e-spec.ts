import { ModuleRef, ModulesContainer } from '@nestjs/core';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * One instance of each of our services and one registration of each controller per process. A
 * dynamic module imported twice with different arguments (`CertificatesModule.withSource(a)` and
 * `.withSource(b)`) is two modules to Nest: two issuers, one of them blind to a source, and every
 * certificate route registered twice.
 */
describe('the API and the worker hold one instance of each service and controller', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
  }, 120_000);
  afterAll(async () => sys?.close());

  it.each(['api', 'worker'] as const)('%s: registers no class of ours in two modules', (side) => {
    const where = new Map<string, string[]>();
    const app = side === 'api' ? sys.app : sys.worker!;
    for (const module of app.get(ModulesContainer).values()) {
      const classes = [...module.providers.values(), ...module.controllers.values()]
        .map((wrapper) => wrapper.metatype)
        .filter((type): type is NonNullable<typeof type> => typeof type === 'function' && type.prototype !== undefined);
      for (const type of classes) {
        // Every module has its ModuleRef, and TypeORM's forFeature modules their repositories.
        if (type === ModuleRef || type === module.metatype) continue;
        where.set(type.name, [...(where.get(type.name) ?? []), module.metatype.name]);
      }
    }
    const twice = [...where].filter(
      ([, modules]) => modules.length > 1 && !modules.every((m) => m.startsWith('TypeOrm')),
    );
    expect(Object.fromEntries(twice)).toEqual({});
  });
});
