import type { EntityManager } from 'typeorm';
import { VERIFICATION_SERVICES } from '../instrument-types/instrument-type.entity.js';

/**
 * The rule for the next due date, in one place (SQL, so that a cycle added later can recompute many
 * instruments in one statement): the last verification, if it passed, plus the cycle in force on
 * that verification's date. A failed last verification leaves no due date: the instrument may not be
 * used until it passes again (after repair), so there is nothing to recall it for. A period with no
 * periodic verification (cycle null) or with no known cycle gives no due date either.
 *
 * Revocation (issue 9): when the certificate of that last passed verification was revoked, the
 * instrument is unverified from the revocation date, which becomes its due date (LEAST: a
 * certificate revoked after it had already expired does not push the date later; LEAST ignores
 * NULLs, so a type without a cycle still gets the revocation date). A later verification is a newer
 * last verification, without a revocation: the normal rule applies again. Calibrations never set a
 * due date (there is no legal calibration interval), so revoking a calibration certificate is
 * recorded on its service record only.
 */
const NEXT_DUE = `CASE WHEN i.last_verification_passed THEN LEAST(i.last_verification_revoked_on, (
    SELECT (i.last_verification_date + c.cycle_months * interval '1 month')::date
      FROM instrument_type_cycle c
     WHERE c.instrument_type_id = i.instrument_type_id AND c.effective_from <= i.last_verification_date
     ORDER BY c.effective_from DESC
     LIMIT 1))
  END`;

/** Recomputes one instrument's last-service columns and next due date from its service history. */
export async function refreshInstrumentFromHistory(manager: EntityManager, instrumentId: string): Promise<void> {
  await manager.query(
    `UPDATE instrument i SET
        last_service = l.service, last_service_date = l.performed_on, last_result = l.result, last_certificate_number = l.certificate_number,
        last_verification_date = v.performed_on, last_verification_passed = (v.result = 'pass'),
        last_verification_revoked_on = v.revoked_on,
        updated_at = now()
       FROM (SELECT $1::uuid AS id) me
       LEFT JOIN LATERAL (SELECT r.service, r.performed_on, r.result, r.certificate_number FROM instrument_service_record r
                           WHERE r.instrument_id = me.id ORDER BY r.performed_on DESC, r.created_at DESC LIMIT 1) l ON true
       LEFT JOIN LATERAL (SELECT r.performed_on, r.result, r.revoked_on FROM instrument_service_record r
                           WHERE r.instrument_id = me.id AND r.service = ANY($2::text[]) ORDER BY r.performed_on DESC, r.created_at DESC LIMIT 1) v ON true
      WHERE i.id = me.id`,
    [instrumentId, VERIFICATION_SERVICES],
  );
  await manager.query(`UPDATE instrument i SET next_due_date = ${NEXT_DUE} WHERE i.id = $1`, [instrumentId]);
}

/**
 * After a cycle row is added for a type: instruments whose last verification falls on or after its
 * effective date may now come under it. Returns how many rows changed.
 */
export async function recomputeNextDueForType(
  manager: EntityManager,
  instrumentTypeId: string,
  fromDate: string,
): Promise<number> {
  const result: [unknown[], number] = await manager.query(
    `UPDATE instrument i SET next_due_date = ${NEXT_DUE}, updated_at = now()
      WHERE i.instrument_type_id = $1 AND i.last_verification_date >= $2 AND i.next_due_date IS DISTINCT FROM (${NEXT_DUE})`,
    [instrumentTypeId, fromDate],
  );
  return result[1];
}
