import { Injectable } from '@nestjs/common';
import type { SeriesKind } from './numbering.js';

/**
 * The numbers this process's next issue of a series will most likely take, guessed just before it
 * asks for them, so that its document can be drawn while it waits for the series (CertificateIssuer).
 * A guess only decides what is drawn ahead of time: the number is still taken in the committing
 * transaction, and a document drawn with a guess that turns out wrong is thrown away and drawn
 * again with the number taken.
 *
 * The guess: the last number this process took in the series, plus one for each issue of this
 * process that has asked for a number of it and not had it yet (the series row's lock is granted in
 * the order asked), plus one. It goes wrong when another process (a second worker, an amendment in
 * the API) takes numbers of the series, or when an issue that took one rolls back; after a wrong
 * guess the series is not drawn ahead again until a guess is right (each issue's guess is still
 * checked against what it took), so two processes numbering one series waste little.
 */
@Injectable()
export class NumberForecast {
  private readonly series = new Map<string, SeriesState>();
  private readonly counts = { guessedRight: 0, guessedWrong: 0, notGuessed: 0 };

  /**
   * To be called right before the statement that takes the next numbers of `kinds` in `year` is
   * sent (in the order issues send it), and settled once it answered or failed.
   */
  expect(kinds: readonly SeriesKind[], year: number): NumberExpectation {
    const states = kinds.map((kind) => this.stateOf(kind, year));
    const known = states.every((s) => s.last !== undefined);
    const guess = known ? states.map((s) => s.last! + 1 + s.waiting) : undefined;
    const trusted = states.every((s) => s.trusted);
    for (const s of states) s.waiting++;
    let settled = false;
    return {
      guess,
      worthDrawing: guess !== undefined && trusted,
      settle: (taken) => {
        if (settled) return false;
        settled = true;
        for (const s of states) s.waiting--;
        if (!taken) return false;
        const right = guess !== undefined && guess.every((g, i) => g === taken[i]);
        states.forEach((s, i) => {
          s.last = taken[i];
          if (guess) s.trusted = right;
        });
        if (!guess) this.counts.notGuessed++;
        else if (right) this.counts.guessedRight++;
        else this.counts.guessedWrong++;
        return right;
      },
    };
  }

  /** How the guesses have gone since the process started (for the benchmark and for logs). */
  get stats(): Readonly<{ guessedRight: number; guessedWrong: number; notGuessed: number }> {
    return { ...this.counts };
  }

  private stateOf(kind: SeriesKind, year: number): SeriesState {
    const key = `${kind}:${year}`;
    let state = this.series.get(key);
    if (!state) this.series.set(key, (state = { waiting: 0, trusted: true }));
    return state;
  }
}

interface SeriesState {
  /** The number this process took last (none yet: nothing is guessed). */
  last?: number;
  /** Issues of this process that asked for a number and have not had their answer. */
  waiting: number;
  /** Whether the last guess checked was right. */
  trusted: boolean;
}

export interface NumberExpectation {
  /** The numbers guessed, one per kind asked for; undefined until this process has taken one of each. */
  readonly guess: number[] | undefined;
  /** Whether to draw the document with the guess ahead of time: a guess, and the series' last guess was right. */
  readonly worthDrawing: boolean;
  /** What was taken (undefined: the statement failed); returns whether the guess was right. */
  settle(taken: readonly number[] | undefined): boolean;
}
