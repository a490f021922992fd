import { Injectable } from '@nestjs/common';
import { NotFoundError, UnprocessableError, type FieldError } from '#libs/core';
import { StandardService, type UnusableReason } from '#libs/registry';
import type { EquipmentUsed } from './analysis.entity.js';

const WHY: Record<UnusableReason, string> = {
  out_of_service: 'it is out of service',
  no_calibration: 'it has no calibration on or before that date',
  calibration_overdue: 'its calibration was overdue',
  failed_intermediate_check: 'its latest intermediate check failed',
};

/**
 * The equipment an analyst used, from the registry's measurement standards as they stood on the test
 * date (the registry's own rule: in service, calibrated and not overdue, last check passed). Unknown
 * or unusable equipment is refused, naming each (422).
 */
@Injectable()
export class EquipmentOnDate {
  constructor(private readonly standards: StandardService) {}

  async usable(ids: readonly string[], date: string, field: string): Promise<EquipmentUsed[]> {
    const out: EquipmentUsed[] = [];
    const errors: FieldError[] = [];
    for (const [i, id] of ids.entries()) {
      try {
        const status = await this.standards.standardStatus(id, date);
        const standard = await this.standards.find(id);
        if (!status.usable) {
          errors.push({
            field: `${field}[${i}]`,
            message: `${standard.code} (${standard.name}) may not be used on ${date}: ${status.reasons.map((r) => WHY[r]).join('; ')}`,
          });
          continue;
        }
        out.push({
          standardId: id,
          code: standard.code,
          name: standard.name,
          certificateNumber: status.calibration?.certificateNumber ?? null,
          issuedBy: status.calibration?.issuingLab ?? null,
          dueDate: status.calibration?.dueDate ?? null,
        });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        errors.push({ field: `${field}[${i}]`, message: `no equipment has the id ${id}` });
      }
    }
    if (errors.length)
      throw new UnprocessableError('test_result.equipment_unusable', 'Some equipment may not be used', { errors });
    return out;
  }
}
