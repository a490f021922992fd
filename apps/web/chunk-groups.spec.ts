/// <reference types="jest" />
// jest runs this spec (testMatch apps/**/*.spec.ts): the build's chunk groups (chunk-groups.ts).
import type { Rollup } from 'vite';
import { barrelOf, checkDirection, closure, edgesOf, parser } from './chunk-groups';

const named = (...n: string[]) => new Set(n);

describe('a module’s imports, read from its code', () => {
  it('names what each statement asks of its module, in order', () => {
    const code = [
      'import React, { useState as useS, useMemo } from "react";',
      'import * as dayjs from "dayjs";',
      "import './styles.css';",
      'export { Button, default as Group } from "./Group.mjs";',
      'export * from "./core/index.mjs";',
      'export const x = "import y from \'z\'".length;',
    ].join('\n');
    expect(edgesOf(code)).toEqual([
      { spec: 'react', names: named('default', 'useState', 'useMemo') },
      { spec: 'dayjs', names: '*' },
      { spec: './styles.css', names: '*' },
      { spec: './Group.mjs', names: named('Button', 'default') },
      { spec: './core/index.mjs', names: '*' },
      { spec: 'z', names: named('default') }, // a string that reads like an import: asked of the resolver, not found
    ]);
  });

  it('leaves out type-only imports', () => {
    expect(edgesOf('import type { A } from "./a";\nimport { type B, C } from "./c";')).toEqual([
      { spec: './c', names: named('C') },
    ]);
  });
});

describe('a package index (barrel)', () => {
  it('maps each exported name to the module it comes from', () => {
    const code = [
      '"use client";',
      'import { Button } from "./Button.mjs";',
      'import { Group as G } from "./Group.mjs";',
      'import Theme from "./theme.mjs";',
      'export { Button, G as Group, Theme };',
      'export { Stack } from "./Stack.mjs";',
      'export * from "./hooks.mjs";',
    ].join('\n');
    const barrel = barrelOf(code)!;
    expect(Object.fromEntries(barrel.from)).toEqual({
      Button: { spec: './Button.mjs', name: 'Button' },
      Group: { spec: './Group.mjs', name: 'Group' },
      Theme: { spec: './theme.mjs', name: 'default' },
      Stack: { spec: './Stack.mjs', name: 'Stack' },
    });
    expect(barrel.stars).toEqual(['./hooks.mjs']);
  });

  it('is not a module with code of its own', () => {
    expect(barrelOf('import { a } from "./a";\nexport const b = a + 1;\nexport { a };')).toBeNull();
  });
});

/** A module graph as Rolldown gives it at the end of a build: each module's code and imported ids. */
function graph(modules: Record<string, { code: string; importedIds?: string[] }>) {
  const info = (id: string) =>
    modules[id]
      ? ({ id, code: modules[id].code, importedIds: modules[id].importedIds ?? [] } as Rollup.ModuleInfo)
      : null;
  const resolve = (spec: string, importer: string) => {
    const dir = importer.split('/').slice(0, -1).join('/');
    const id = spec.startsWith('./') ? `${dir}/${spec.slice(2)}` : `/node_modules/${spec}/index.mjs`;
    return Promise.resolve(modules[id] ? id : null);
  };
  return parser(info, resolve);
}

describe('what a module needs', () => {
  const modules = {
    '/src/app.tsx': {
      code: 'import { Button } from "ui";\nimport "./shell.tsx";',
      importedIds: ['/node_modules/ui/index.mjs', '/src/shell.tsx'],
    },
    '/src/shell.tsx': { code: 'const cjs = require("left-pad");', importedIds: ['/node_modules/left-pad/index.mjs'] },
    '/src/screen.tsx': { code: 'import * as ui from "ui";', importedIds: ['/node_modules/ui/index.mjs'] },
    '/node_modules/left-pad/index.mjs': { code: 'module.exports = (s) => s;' },
    '/node_modules/ui/index.mjs': {
      code: 'import { Button } from "./Button.mjs";\nimport { Table } from "./Table.mjs";\nexport { Button, Table };',
      importedIds: ['/node_modules/ui/Button.mjs', '/node_modules/ui/Table.mjs'],
    },
    '/node_modules/ui/Button.mjs': { code: 'export const Button = () => null;' },
    '/node_modules/ui/Table.mjs': { code: 'export const Table = () => null;' },
  };

  it('follows a package index only to the modules of the names imported from it', async () => {
    const needs = await closure('/src/app.tsx', graph(modules));
    expect([...needs].sort()).toEqual([
      '/node_modules/left-pad/index.mjs', // required, not imported: followed whole
      '/node_modules/ui/Button.mjs',
      '/node_modules/ui/index.mjs',
      '/src/app.tsx',
      '/src/shell.tsx',
    ]);
  });

  it('follows all of it for a namespace import', async () => {
    const needs = await closure('/src/screen.tsx', graph(modules));
    expect(needs.has('/node_modules/ui/Table.mjs')).toBe(true);
  });
});

describe('the chunks’ direction', () => {
  const chunk = (name: string, imports: string[] = []) =>
    ({ name, fileName: `assets/${name}.js`, imports: imports.map((i) => `assets/${i}.js`) }) as Rollup.OutputChunk;

  it('lets a screen import screens, app and boot, and app boot only', () => {
    const ok = [chunk('boot'), chunk('app', ['boot', 'rolldown-runtime']), chunk('rolldown-runtime')];
    const screens = [chunk('screens', ['app', 'boot']), chunk('WorksheetPage', ['screens', 'app', 'boot'])];
    expect(() => checkDirection([...ok, ...screens])).not.toThrow();
  });

  it('fails the build when the app chunk imports a screen’s chunk', () => {
    const chunks = [chunk('boot'), chunk('app', ['boot', 'TemplatePage']), chunk('TemplatePage', ['app'])];
    expect(() => checkDirection(chunks)).toThrow('chunk assets/app.js imports assets/TemplatePage.js');
  });
});
