import type { ErrorList } from '#libs/core';

/**
 * Every problem code the registry throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const REGISTRY_ERRORS = {
  'organization.not_found': { status: 404, meaning: 'no organization has this id' },
  'organization.tax_code_taken': { status: 409, meaning: 'an organization with this tax code exists' },
  'organization.in_use': { status: 409, meaning: 'other records refer to the organization; deactivate it instead' },
  'instrument_type.not_found': { status: 404, meaning: 'no instrument type has this id' },
  'instrument_type.code_taken': { status: 409, meaning: 'an instrument type with this code exists' },
  'instrument_type.cycle_exists': {
    status: 409,
    meaning: 'a verification cycle with this effective date exists; history is not edited',
  },
  'mpe_rule.not_found': { status: 404, meaning: 'no MPE rule has this id' },
  'mpe_rule.already_confirmed': { status: 409, meaning: 'the MPE rule is confirmed already' },
  'mpe_rule.confirmation_not_needed': {
    status: 409,
    meaning: 'the MPE rule’s confidence gives verdicts without confirmation',
  },
  'instrument.not_found': { status: 404, meaning: 'no instrument has this id' },
  'instrument.duplicate': {
    status: 409,
    meaning: 'the owner already has an instrument of this type, manufacturer and serial number',
  },
  'instrument.label_code_taken': { status: 409, meaning: "another instrument has this centre's label code" },
  'instrument.same_owner': {
    status: 409,
    meaning: 'the instrument already belongs to the organization it is transferred to',
  },
  'instrument.scrapped': { status: 409, meaning: 'a scrapped instrument cannot be put back into service' },
  'instrument.history_duplicate': {
    status: 409,
    meaning: 'the instrument already has this service recorded on this date',
  },
  'instrument.import_invalid': {
    status: 422,
    meaning:
      'rows of the imported spreadsheet break the registry’s rules; nothing was imported (errors name rows[n].column)',
  },
  'instrument.bad_reference': {
    status: 422,
    meaning: 'the instrument refers to an unknown or deactivated owner or type',
  },
  'instrument.unit_mismatch': {
    status: 422,
    meaning: 'a range or resolution is not in a unit of what the type measures',
  },
  'instrument.outcome_in_future': { status: 422, meaning: 'a service cannot be recorded on a date still to come' },
  'admin_unit.not_found': { status: 404, meaning: 'no administrative unit has this id' },
  'admin_unit.code_taken': { status: 409, meaning: 'a current unit of this level has this code' },
  'admin_unit.retired': { status: 409, meaning: 'the administrative unit is retired already' },
  'admin_unit.already_confirmed': { status: 409, meaning: 'the administrative unit is confirmed already' },
  'admin_unit.bad_reference': {
    status: 422,
    meaning: 'the parent or successor is missing, retired, or of the wrong level',
  },
  'address.bad_unit': {
    status: 422,
    meaning: 'an address names an unknown or retired unit, a unit of the wrong level, or a commune of another province',
  },
  'standard.not_found': { status: 404, meaning: 'no measurement standard has this id' },
  'standard_calibration.not_found': { status: 404, meaning: 'the standard has no calibration record with this id' },
  'standard_certificate_file.not_found': {
    status: 404,
    meaning: 'no PDF of the calibration certificate was uploaded for this record',
  },
  'standard.code_taken': { status: 409, meaning: 'a standard with this code exists' },
  'standard.certificate_exists': {
    status: 409,
    meaning: 'this calibration certificate is recorded for the standard already',
  },
  'standard.traceability_cycle': { status: 409, meaning: 'the traceability link would close a cycle' },
  'standard.unknown_parent': { status: 422, meaning: 'the standard the calibration is traceable to does not exist' },
} as const satisfies ErrorList;

export type RegistryErrorCode = keyof typeof REGISTRY_ERRORS;

type RegistryErrorList = typeof REGISTRY_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends RegistryErrorList {}
}
