import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { jest } from '@jest/globals';
import { createValidationPipe, InvalidInputError, VALIDATION_PIPE_OPTIONS } from '#libs/core';
import { CreateRequestDto, MAX_REQUEST_ITEMS } from './request.dto.js';

/**
 * POST /requests through the API's pipe (compiled rules first, class-validator when they do not pass)
 * and through Nest's own ValidationPipe with the same options (class-validator always): the same
 * bodies refused with the same field messages, the same DTO handed on for the others.
 */
const BODY: ArgumentMetadata = { type: 'body', metatype: CreateRequestDto, data: '' };
const TYPE = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const UNIT = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

const instrument = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  instrumentTypeId: TYPE,
  manufacturer: 'Tatsuno',
  model: 'SUNNY-2',
  serialNumber: 'TS-001',
  accuracyClass: '0.5',
  rangeMin: '5',
  rangeMax: '60',
  rangeUnit: 'L/min',
  placeOfUse: { siteName: 'Cửa hàng số 5', district: 'Cam Ranh' },
  ...over,
});

/** Items near each rule's edge: new and registered instruments, both or neither, services, conformity, notes. */
const ITEMS: unknown[] = [
  { instrument: instrument(), service: 'verification_periodic' },
  { instrumentId: UNIT, service: 'calibration', conformityStatementRequested: true, decisionRule: 'simple_acceptance' },
  { instrumentId: UNIT, service: 'calibration', conformityStatementRequested: true },
  { instrumentId: UNIT, service: 'verification_periodic', conformityStatementRequested: true },
  { instrumentId: UNIT, service: 'calibration', decisionRule: 'simple_acceptance' },
  { instrumentId: UNIT, service: 'calibration', conformityStatementRequested: 'yes' },
  { instrumentId: 'not-a-uuid', service: 'calibration' },
  { instrumentId: UNIT, instrument: instrument(), service: 'calibration' },
  { service: 'calibration' },
  { instrumentId: UNIT, service: 'repair' },
  { instrumentId: UNIT },
  { instrumentId: UNIT, service: 'calibration', notes: '  a note  ' },
  { instrumentId: UNIT, service: 'calibration', notes: 'x'.repeat(2001) },
  { instrumentId: UNIT, service: 'calibration', notes: 7 },
  { instrumentId: UNIT, service: 'calibration', colour: 'red' },
  { instrument: instrument({ serialNumber: '   ' }), service: 'verification_periodic' },
  { instrument: instrument({ serialNumber: undefined }), service: 'verification_periodic' },
  { instrument: instrument({ manufacturer: 12 }), service: 'verification_periodic' },
  { instrument: instrument({ ownerId: UNIT }), service: 'verification_periodic' },
  { instrument: instrument({ rangeMin: 'five' }), service: 'verification_periodic' },
  { instrument: instrument({ resolution: '0' }), service: 'verification_periodic' },
  { instrument: instrument({ status: 'lost' }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: null }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: 'Cam Ranh' }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: [{ siteName: 'a' }] }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: { siteName: 'x'.repeat(301) } }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: { provinceId: 'HCM' } }), service: 'verification_periodic' },
  { instrument: instrument({ placeOfUse: { communeId: UNIT, floor: 2 } }), service: 'verification_periodic' },
  { instrument: null, service: 'verification_periodic' },
  { instrument: 'a dispenser', service: 'verification_periodic' },
  { instrument: [instrument()], service: 'verification_periodic' },
  null,
  'an item',
  [{ instrumentId: UNIT, service: 'calibration' }],
];

/** Request headers near the rules' edges. */
const HEADERS: Record<string, unknown>[] = [
  { place: 'lab' },
  { place: 'on_site', siteAddress: 'Cam Ranh' },
  { place: 'on_site', siteAddress: '   ' },
  { place: 'on_site' },
  { place: 'lab', siteAddress: 'Cam Ranh' },
  { place: 'moon' },
  {},
  { place: 'lab', organizationId: 'acme' },
  { place: 'lab', organizationId: UNIT, preferredDate: '2030-02-28', notes: ' n ' },
  { place: 'lab', organizationId: UNIT, preferredDate: '2030-02-30' },
  { place: 'lab', priority: 'high' },
];

function* bodies(): Generator<unknown> {
  for (const header of HEADERS) {
    for (const item of ITEMS) yield { ...header, items: [item] };
    yield { ...header, items: [ITEMS[0], ITEMS[1], ITEMS[0]] };
    yield { ...header, items: [] };
    yield { ...header, items: ITEMS[0] };
    yield { ...header };
  }
  yield { place: 'lab', items: ITEMS };
  yield { place: 'lab', items: Array.from({ length: MAX_REQUEST_ITEMS + 1 }, () => ITEMS[1]) };
  yield { place: 'lab', items: Array.from({ length: 2000 }, (_, i) => ({ ...(ITEMS[0] as object), notes: `n${i}` })) };
  yield null;
  yield 'text';
  yield [];
}

type Outcome = { dto: unknown } | { refused: unknown };

async function outcome(pipe: ValidationPipe, body: unknown): Promise<Outcome> {
  try {
    return { dto: await pipe.transform(structuredClone(body), BODY) };
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    return { refused: { message: e.message, code: e.code, details: e.details } };
  }
}

describe('POST /requests validation (compiled rules first)', () => {
  it('refuses what class-validator refuses, with the same field messages, and hands on the same DTO otherwise', async () => {
    const reference = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
    const compiled = createValidationPipe();
    let refused = 0;
    let passed = 0;
    for (const body of bodies()) {
      const expected = await outcome(reference, body);
      expect({ body, outcome: await outcome(compiled, body) }).toStrictEqual({ body, outcome: expected });
      if ('refused' in expected) refused++;
      else passed++;
    }
    // Both answers occur, and most bodies are refused for one field or another.
    expect(passed).toBeGreaterThan(15);
    expect(refused).toBeGreaterThan(200);
  });

  it('does not ask class-validator for a body the compiled rules pass', async () => {
    const validate = jest.spyOn(ValidationPipe.prototype as unknown as { validate: () => unknown }, 'validate');
    try {
      const items = Array.from({ length: 100 }, (_, i) => ({
        instrument: instrument({ serialNumber: `TS-${i}` }),
        service: 'verification_periodic',
      }));
      const dto = (await createValidationPipe().transform({ place: 'lab', items }, BODY)) as CreateRequestDto;
      expect(dto).toBeInstanceOf(CreateRequestDto);
      expect(dto.items).toHaveLength(100);
      expect(validate).not.toHaveBeenCalled();
      // A refused body still goes to class-validator, for its messages.
      await expect(
        createValidationPipe().transform({ place: 'lab', items: [{ service: 'calibration' }] }, BODY),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(validate).toHaveBeenCalledTimes(1);
    } finally {
      validate.mockRestore();
    }
  });
});
