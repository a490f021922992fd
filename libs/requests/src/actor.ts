import type { AuditEntry } from '#libs/audit';
import type { RequestHistoryEntry } from './request.entities.js';

export type Actor = AuditEntry['actor'];

/** How an actor is written in the history: the same three kinds as the audit trail. */
export function actorColumns(actor: Actor): Pick<RequestHistoryEntry, 'actorKind' | 'actorId' | 'actorName'> {
  switch (actor.kind) {
    case 'staff':
      return { actorKind: 'staff', actorId: actor.userId, actorName: actor.fullName || actor.username };
    case 'business':
      return { actorKind: 'business', actorId: actor.apiKeyId, actorName: `organization ${actor.organizationId}` };
    case 'system':
      return { actorKind: 'system', actorId: null, actorName: actor.name };
  }
}
