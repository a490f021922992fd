import type { EntityManager } from 'typeorm';
import { Certificate } from './certificate.entity.js';
import { standingOf } from './status.js';

/** Where a certificate stands, with the certificate that superseded it when it has been. */
export type StandingWithSuccessor =
  { standing: 'current' } | { standing: 'revoked' } | { standing: 'superseded'; successor: Certificate };

/**
 * standingOf for one certificate in `m`'s transaction (the caller has locked it), reading its
 * successor only when it is not revoked: what revocation and amendment check before they go ahead.
 */
export async function readStanding(m: EntityManager, c: Certificate): Promise<StandingWithSuccessor> {
  if (standingOf({ revokedAt: c.revokedAt, superseded: false }) === 'revoked') return { standing: 'revoked' };
  const successor = await m.getRepository(Certificate).findOneBy({ replacesId: c.id });
  return successor ? { standing: 'superseded', successor } : { standing: 'current' };
}
