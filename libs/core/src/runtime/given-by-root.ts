import type { ModuleRef } from '@nestjs/core';

/**
 * A value the process makes before Nest and gives the application's root module once
 * (`DatabaseModule.forRoot(dataSource)`, `QueueModule.forRoot(backend)`), read by the plain module
 * that every library imports by name (`DatabaseModule`, `QueueModule`). The root's provider is a
 * `useValue`, so it is there from the scan on, whatever order Nest instantiates modules in; the
 * token is private to the module that reads it, so nothing else can inject it around the import.
 */
export function givenByRoot<T>(ref: ModuleRef, token: symbol, forRoot: string): T {
  try {
    return ref.get<T>(token, { strict: false });
  } catch {
    throw new Error(`${forRoot} is not among the imports of the application's root module`);
  }
}
