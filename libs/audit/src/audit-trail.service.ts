import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertMany, toPage, type BeforeCommitBatch, type Page, type Principal, type Tx } from '#libs/core';
import { AuditEventRecord } from './audit-event-record.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { isRecordTable, recordFromTable } from './batch-records.js';
import { verifyAuditChain, type AuditChainReport } from './audit-chain.js';
import type { AuditEventView, AuditQuery } from './dto/audit.dto.js';

/** Who made a change: a staff member, a business (its API key), or the system (a start-up seed, a command, a test). */
export type AuditActor = Principal | { kind: 'system'; name: string };

/** A change made by no principal, named for the reader of the trail (e.g. `npm run user:create-admin`). */
export function systemActor(name: string): AuditActor {
  return { kind: 'system', name };
}

export interface AuditEntry {
  actor: AuditActor;
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

function actorFields(actor: AuditEntry['actor']): Pick<AuditEvent, 'actorKind' | 'actorId' | 'actorName'> {
  switch (actor.kind) {
    case 'staff':
      return { actorKind: 'staff', actorId: actor.userId, actorName: actor.fullName || actor.username };
    case 'business':
      return {
        actorKind: 'business',
        actorId: actor.apiKeyId,
        actorName: actor.name ?? `organization ${actor.organizationId}`,
      };
    case 'system':
      return { actorKind: 'system', actorId: null, actorName: actor.name };
  }
}

export function toAuditView(e: AuditEvent): AuditEventView {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
    entity: e.entity,
    entityId: e.entityId,
    action: e.action,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason,
  };
}

/**
 * A batch entry (`after.recordIds` names the records; `after.records` holds each, in the same order,
 * as an array of objects or as a RecordTable without their ids) found by one record it names shows
 * that record only (`after.record`, with `recordCount`), not the thousands of others; asked for by
 * its own id, it shows whole.
 */
export function narrowToRecord(view: AuditEventView, id: string | undefined): AuditEventView {
  const after = view.after as { recordIds?: unknown; records?: unknown } | null;
  if (!id || view.entityId === id || !Array.isArray(after?.recordIds)) return view;
  const { recordIds, records, ...rest } = after as { recordIds: string[]; records: unknown };
  const index = recordIds.indexOf(id);
  let record: unknown;
  if (Array.isArray(records)) record = records[index] ?? null;
  else if (isRecordTable(records)) {
    const found = recordFromTable(records, index, recordIds.length);
    record = found && { id, ...found };
  } else return view;
  return { ...view, after: { ...rest, recordCount: recordIds.length, record } };
}

/**
 * AuditTrail.record without Nest, for code that has only a transaction's EntityManager (the
 * create-admin command, the first admin at start-up).
 */
export async function writeAuditEntries(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // insertMany: thousands of entries (a change to every item of a large request) in a few statements.
  await insertMany(
    manager,
    AuditEvent,
    entries.map((e) => ({
      ...actorFields(e.actor),
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      before: (e.before ?? null) as object,
      after: (e.after ?? null) as object,
      reason: e.reason ?? null,
    })),
  );
  // A batch entry's records, one row each (audit_event_record): GET /audit?id= finds it by any of them.
  const named = entries.flatMap((e) => {
    const ids = (e.after as { recordIds?: unknown } | null | undefined)?.recordIds;
    return Array.isArray(ids) ? ids.map((id) => ({ recordId: String(id), entityId: e.entityId })) : [];
  });
  await insertMany(manager, AuditEventRecord, named);
}

/** The transaction's audit entries, written in one statement just before it commits (core's Tx). */
const AUDIT_BATCH: BeforeCommitBatch<AuditEntry> = {
  key: Symbol('audit entries'),
  write: writeAuditEntries,
};

@Injectable()
export class AuditTrail {
  constructor(private readonly events: AuditEventRepository) {}

  /**
   * Records entries inside the caller's transaction, so a change and its trace commit together or
   * not at all. In a UnitOfWork transaction they are written just before it commits, with every
   * other entry of the transaction in one statement, in the order recorded: the hash chain's lock
   * (see the README) is then held from that statement to the commit only, not from the first entry.
   */
  record(tx: Tx, ...entries: AuditEntry[]): Promise<void> {
    return tx.writeBeforeCommit(AUDIT_BATCH, entries);
  }

  /** Checks the whole hash chain; names the first broken link. */
  verify(): Promise<AuditChainReport> {
    return verifyAuditChain(this.events);
  }

  async list(query: AuditQuery): Promise<Page<AuditEventView>> {
    return toPage(
      await this.events.list(query),
      query.limit,
      (e) => [e.id],
      (e) => narrowToRecord(toAuditView(e), query.id),
    );
  }
}
