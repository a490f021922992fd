import type { Principal } from '#libs/core';
import type { TestSample } from './sample.entity.js';

/**
 * Whether the sample's owner (the request's organization) may read its results, analyses and
 * reports: always for a sample that is not an inspector's; for an inspector's sample (market
 * surveillance, `inspectionReference` set) only once the results were released to the owner, after
 * the inspecting authority had them (`resultsReleasedAt`). Pure.
 */
export function ownerMayReadResults(sample: Pick<TestSample, 'inspectionReference' | 'resultsReleasedAt'>): boolean {
  return sample.inspectionReference === null || sample.resultsReleasedAt !== null;
}

/**
 * Whether this caller may read the sample's results: staff always; a business key (the owner, the
 * sample being already scoped to its organization) as ownerMayReadResults says. Part B applies it to
 * every read of results, analyses and test reports.
 */
export function mayReadResults(
  principal: Principal,
  sample: Pick<TestSample, 'inspectionReference' | 'resultsReleasedAt'>,
): boolean {
  return principal.kind === 'staff' || ownerMayReadResults(sample);
}
