/** A limit the engine would rely on is SECONDARY or UNCERTAIN and no admin has confirmed it. */
export interface UnconfirmedLimit {
  limitId: string;
  parameter: string;
  regulation: string;
  confidence: string;
  label: string;
}

/** Thrown by the conformity engine, naming every unconfirmed limit it would have used. */
export class UnconfirmedLimitError extends Error {
  constructor(readonly limits: UnconfirmedLimit[]) {
    super(
      `Not confirmed by an admin, so not used for a conformity statement: ${limits
        .map((l) => `${l.label} (${l.confidence}, limit ${l.limitId})`)
        .join('; ')}`,
    );
    this.name = 'UnconfirmedLimitError';
  }
}

/** A posted result the engine cannot read (a category off the scale, a malformed replicate…), naming the parameter. */
export class ResultInputError extends Error {
  constructor(
    readonly parameter: string,
    readonly field: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'ResultInputError';
  }
}
