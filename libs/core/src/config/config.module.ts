import { DynamicModule, Global, Module } from '@nestjs/common';
import { Env } from './env.js';

/** Injection token for the validated configuration; inject with `@Inject(ENV) env: Env`. */
export const ENV = Symbol('ENV');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Env): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ENV, useValue: env }], exports: [ENV] };
  }
}
