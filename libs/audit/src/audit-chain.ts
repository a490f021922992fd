import type { AuditChainRow, AuditEventRepository } from './audit-event.repository.js';

/** prev_hash of the first entry (migration 1795452000001). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
const PAGE = 10_000;

/** The first entry where the chain does not hold, and what was expected there. */
export interface AuditChainBreak {
  id: string;
  /** 1-based position in the chain (id order). */
  position: number;
  /** `hash`: the entry's content no longer matches its hash; `prevHash`: the link to the entry before is broken (one was removed, or rehashed). */
  field: 'hash' | 'prevHash';
  expected: string;
  found: string;
}

export interface AuditChainReport {
  valid: boolean;
  /** Entries checked (all of them when valid; up to the break otherwise). */
  entries: number;
  /** The last entry: a copy of its hash kept elsewhere also reveals entries removed from the end. */
  head: { id: string; hash: string } | null;
  firstBroken: AuditChainBreak | null;
}

/**
 * Walks the audit trail in id order, a page at a time, recomputing each entry's hash in SQL with the
 * very function the insert trigger used (audit_event_hash), and checking each link to the entry
 * before. Stops at the first break.
 */
export async function verifyAuditChain(events: Pick<AuditEventRepository, 'chainPage'>): Promise<AuditChainReport> {
  let expectedPrev = AUDIT_GENESIS_HASH;
  let position = 0;
  let last: AuditChainRow | undefined;
  for (;;) {
    const rows = await events.chainPage(last?.id ?? '0', PAGE);
    for (const row of rows) {
      position += 1;
      const broken = checkEntry(row, expectedPrev, position);
      if (broken) return { valid: false, entries: position, head: null, firstBroken: broken };
      expectedPrev = row.hash;
      last = row;
    }
    if (rows.length < PAGE) break;
  }
  return { valid: true, entries: position, head: last ? { id: last.id, hash: last.hash } : null, firstBroken: null };
}

function checkEntry(row: AuditChainRow, expectedPrev: string, position: number): AuditChainBreak | undefined {
  if (row.prev_hash !== expectedPrev)
    return { id: row.id, position, field: 'prevHash', expected: expectedPrev, found: String(row.prev_hash) };
  if (row.hash !== row.computed)
    return { id: row.id, position, field: 'hash', expected: row.computed, found: String(row.hash) };
  return undefined;
}

/** One line for a person: what holds, or where the chain breaks. */
export function describeAuditChain(report: AuditChainReport): string {
  const b = report.firstBroken;
  if (!b)
    return report.head
      ? `audit trail intact: ${report.entries} entries, head id ${report.head.id} hash ${report.head.hash}`
      : 'audit trail intact: no entries yet';
  const what = b.field === 'hash' ? 'its content does not match its hash' : 'its link to the entry before is broken';
  return `audit trail BROKEN at entry id ${b.id} (position ${b.position}): ${what}; ${b.field} expected ${b.expected}, found ${b.found}`;
}
