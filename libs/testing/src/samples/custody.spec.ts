import type { DomainError, Principal } from '#libs/core';
import {
  allowedCustodySteps,
  asCustodyStep,
  checkCustodyStep,
  foldCustody,
  portionSuffix,
  type CustodyStep,
  type StepContext,
} from './custody.js';
import { mayReadResults, ownerMayReadResults } from './release.js';

const received = new Date('2026-11-20T02:00:00Z');
const at = (hours: number): Date => new Date(received.getTime() + hours * 3600_000);
const ctx = (occurredAt: Date, retainUntil: string | null = null): StepContext => ({
  retainUntil,
  occurredOn: occurredAt.toISOString().slice(0, 10),
  now: new Date('2026-12-01T00:00:00Z'),
});
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};
const split: CustodyStep = { kind: 'split', portionId: null, occurredAt: at(1), portionIds: ['pA', 'pB'] };

describe('the chain of custody', () => {
  it('starts at receipt: no step before it (409 custody.not_received)', () => {
    const fold = foldCustody(null, []);
    expect(fold.sample).toBe('awaiting_receipt');
    expect(code(() => checkCustodyStep(fold, { kind: 'stored', portionId: null, occurredAt: at(1) }, ctx(at(1))))).toBe(
      'custody.not_received',
    );
  });

  it('lets a held sample be stored, subcontracted, returned, disposed or split', () => {
    expect(allowedCustodySteps('held', 'sample')).toEqual([
      'split',
      'stored',
      'subcontracted',
      'returned_to_customer',
      'disposed',
    ]);
    expect(allowedCustodySteps('held', 'portion')).not.toContain('split');
    expect(allowedCustodySteps('subcontracted', 'portion')).toEqual(['returned_from_subcontractor', 'disposed']);
  });

  it('refuses every step after disposal and after return (final)', () => {
    for (const last of ['disposed', 'returned_to_customer'] as const) {
      const fold = foldCustody(received, [{ kind: last, portionId: null, occurredAt: at(1) }]);
      expect(allowedCustodySteps(fold.sample, 'sample')).toEqual([]);
      for (const kind of ['stored', 'disposed', 'split', 'subcontracted'] as const) {
        expect(code(() => checkCustodyStep(fold, { kind, portionId: null, occurredAt: at(2) }, ctx(at(2))))).toBe(
          'custody.step_not_allowed',
        );
      }
    }
  });

  it('after a split, the whole sample takes no step; each portion lives on its own', () => {
    const fold = foldCustody(received, [split]);
    expect(fold.sample).toBe('split');
    expect([...fold.portions]).toEqual([
      ['pA', 'held'],
      ['pB', 'held'],
    ]);
    expect(
      code(() => checkCustodyStep(fold, { kind: 'disposed', portionId: null, occurredAt: at(2) }, ctx(at(2)))),
    ).toBe('custody.step_not_allowed');
    expect(checkCustodyStep(fold, { kind: 'subcontracted', portionId: 'pB', occurredAt: at(2) }, ctx(at(2)))).toBe(
      'subcontracted',
    );
    expect(checkCustodyStep(fold, { kind: 'disposed', portionId: 'pA', occurredAt: at(2) }, ctx(at(2)))).toBe(
      'disposed',
    );
  });

  it('a portion is subcontracted and disposed on its own, the other untouched', () => {
    const fold = foldCustody(received, [
      split,
      { kind: 'subcontracted', portionId: 'pB', occurredAt: at(2) },
      { kind: 'disposed', portionId: 'pA', occurredAt: at(3) },
    ]);
    expect(fold.portions.get('pA')).toBe('disposed');
    expect(fold.portions.get('pB')).toBe('subcontracted');
    expect(code(() => checkCustodyStep(fold, { kind: 'stored', portionId: 'pA', occurredAt: at(4) }, ctx(at(4))))).toBe(
      'custody.step_not_allowed',
    );
    expect(
      checkCustodyStep(fold, { kind: 'returned_from_subcontractor', portionId: 'pB', occurredAt: at(4) }, ctx(at(4))),
    ).toBe('held');
  });

  it('folds the recorded rows: a split row makes its portions from its details', () => {
    const rows = [
      { kind: 'split' as const, portionId: null, occurredAt: at(1), details: { portionIds: ['pA', 'pB'] } },
      { kind: 'disposed' as const, portionId: 'pA', occurredAt: at(2), details: null },
    ];
    const fold = foldCustody(received, rows.map(asCustodyStep));
    expect([...fold.portions]).toEqual([
      ['pA', 'disposed'],
      ['pB', 'held'],
    ]);
  });

  it('a portion cannot be split again', () => {
    const fold = foldCustody(received, [split]);
    expect(code(() => checkCustodyStep(fold, { kind: 'split', portionId: 'pA', occurredAt: at(2) }, ctx(at(2))))).toBe(
      'custody.step_not_allowed',
    );
  });

  it('names the state and the allowed steps in the 409', () => {
    const fold = foldCustody(received, [{ kind: 'subcontracted', portionId: null, occurredAt: at(1) }]);
    try {
      checkCustodyStep(fold, { kind: 'returned_to_customer', portionId: null, occurredAt: at(2) }, ctx(at(2)));
      throw new Error('no refusal');
    } catch (e) {
      expect(e).toMatchObject({
        code: 'custody.step_not_allowed',
        details: {
          from: 'subcontracted',
          step: 'returned_to_customer',
          allowed: ['returned_from_subcontractor', 'disposed'],
        },
      });
    }
  });

  it('refuses a step dated before the previous one, or in the future (422 custody.out_of_order)', () => {
    const fold = foldCustody(received, [{ kind: 'stored', portionId: null, occurredAt: at(5) }]);
    expect(code(() => checkCustodyStep(fold, { kind: 'stored', portionId: null, occurredAt: at(4) }, ctx(at(4))))).toBe(
      'custody.out_of_order',
    );
    expect(
      code(() =>
        checkCustodyStep(
          foldCustody(received, []),
          { kind: 'stored', portionId: null, occurredAt: at(-1) },
          ctx(at(-1)),
        ),
      ),
    ).toBe('custody.out_of_order');
    const future = new Date('2026-12-02T00:00:00Z');
    expect(
      code(() => checkCustodyStep(fold, { kind: 'stored', portionId: null, occurredAt: future }, ctx(future))),
    ).toBe('custody.out_of_order');
    expect(checkCustodyStep(fold, { kind: 'stored', portionId: null, occurredAt: at(5) }, ctx(at(5)))).toBe('held');
  });

  it('dates a portion against its own last step (its split at first)', () => {
    const fold = foldCustody(received, [split, { kind: 'stored', portionId: 'pA', occurredAt: at(10) }]);
    expect(checkCustodyStep(fold, { kind: 'stored', portionId: 'pB', occurredAt: at(2) }, ctx(at(2)))).toBe('held');
    expect(code(() => checkCustodyStep(fold, { kind: 'stored', portionId: 'pA', occurredAt: at(9) }, ctx(at(9))))).toBe(
      'custody.out_of_order',
    );
    expect(
      code(() => checkCustodyStep(fold, { kind: 'stored', portionId: 'pB', occurredAt: at(0.5) }, ctx(at(0.5)))),
    ).toBe('custody.out_of_order');
  });

  it('refuses disposal before the retention date, allows it on that day', () => {
    const fold = foldCustody(received, []);
    const step = (d: Date): CustodyStep => ({ kind: 'disposed', portionId: null, occurredAt: d });
    expect(
      code(() =>
        checkCustodyStep(fold, step(at(24)), { ...ctx(at(24)), occurredOn: '2026-11-21', retainUntil: '2026-11-22' }),
      ),
    ).toBe('custody.retention_not_over');
    expect(
      checkCustodyStep(fold, step(at(48)), { ...ctx(at(48)), occurredOn: '2026-11-22', retainUntil: '2026-11-22' }),
    ).toBe('disposed');
  });

  it('codes portions A…Z, then AA, AB', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(portionSuffix)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });
});

describe("an inspector's results", () => {
  const staff: Principal = { kind: 'staff', userId: 'u', username: 'u', fullName: 'U', roles: ['reviewer'] };
  const owner: Principal = { kind: 'business', apiKeyId: 'k', organizationId: 'o' };

  it('are withheld from the owner until released; staff always read', () => {
    const withheld = { inspectionReference: 'BB-LM 125/2026', resultsReleasedAt: null };
    expect(ownerMayReadResults(withheld)).toBe(false);
    expect(mayReadResults(owner, withheld)).toBe(false);
    expect(mayReadResults(staff, withheld)).toBe(true);
    const released = { ...withheld, resultsReleasedAt: new Date() };
    expect(mayReadResults(owner, released)).toBe(true);
  });

  it("do not concern a customer's own sample", () => {
    expect(mayReadResults(owner, { inspectionReference: null, resultsReleasedAt: null })).toBe(true);
  });
});
