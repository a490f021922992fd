import { Module } from '@nestjs/common';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { SecretBox } from './secret-box.js';
import { loadSecretBox } from './secrets-key.js';

/** Provides `SecretBox` (the secrets key of this process); import it where a secret is sealed or opened. */
@Module({
  providers: [{ provide: SecretBox, inject: [ENV], useFactory: (env: Env) => loadSecretBox(env) }],
  exports: [SecretBox],
})
export class SecretsModule {}
