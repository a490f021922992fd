import type { EntityManager } from 'typeorm';
import type { ItemStatus } from '#libs/requests';

/**
 * What analyses and the test report need to know of a sample (mẫu thử): a request item of subject
 * kind `sample`, owned by the samples part of this library (`test_sample`, custody). Read through
 * this port so that analyses do not depend on how samples are stored.
 */
export interface SampleFacts {
  requestItemId: string;
  requestId: string;
  organizationId: string;
  itemStatus: ItemStatus;
  /** The sample code printed on its label and on the report. */
  code: string;
  productId: string;
  /** Declared quality level (mức) and grade (RON 95, …): they select the limits. */
  level: string | null;
  grade: string | null;
  /** The decision rule asked for the sample (ILAC-G8; simple acceptance by default). */
  decisionRule: 'simple' | 'guarded';
  /** Lot, quantity, packaging, seals, as the report describes the sample. */
  description: string | null;
  /** Date of receipt at the laboratory, YYYY-MM-DD. */
  receivedOn: string | null;
  /** How it was sampled (by the centre: who, where, when, method); null: sent by the customer. */
  sampling: string | null;
  /** An inspector's sample whose result its owner may not see yet. */
  heldFromOwner: boolean;
}

export interface SampleFactsReader {
  /** The sample of a request item, or null when the item is not a sample. */
  forItem(m: EntityManager, requestItemId: string): Promise<SampleFacts | null>;
}

export const SAMPLE_FACTS = Symbol('SAMPLE_FACTS');
