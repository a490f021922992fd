import { Module } from '@nestjs/common';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { parseEgressAllow } from './egress-allow.js';
import { EgressPolicy } from './egress-policy.js';

/** The egress policy of this process, from NODE_ENV and EGRESS_ALLOW (validated at start-up by loadEnv). */
export function egressPolicyFor(env: Pick<Env, 'NODE_ENV' | 'EGRESS_ALLOW'>): EgressPolicy {
  return new EgressPolicy({ production: env.NODE_ENV === 'production', allow: parseEgressAllow(env.EGRESS_ALLOW) });
}

/** Provides `EgressPolicy`; import it wherever a request leaves the system. */
@Module({
  providers: [{ provide: EgressPolicy, inject: [ENV], useFactory: egressPolicyFor }],
  exports: [EgressPolicy],
})
export class EgressModule {}
