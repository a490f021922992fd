import { Injectable } from '@nestjs/common';
import { takeNextInSeries, type Tx } from '#libs/core';
import type { SeriesKind } from './numbering.js';

/**
 * The number series of certificates and stamps (`certificate_series`): the gapless counter itself
 * is core's takeNextInSeries (requests number the same way).
 */
@Injectable()
export class CertificateSeriesRepository {
  /**
   * The next number of each series, in one statement; rows are locked in the order given. Issues get
   * their numbers in the order they asked (`inTurn`: what NumberForecast's guesses rely on); the
   * first kind names the queue (a stamp is only ever taken with a verification certificate).
   */
  takeNextNumbers(tx: Tx, kinds: readonly SeriesKind[], year: number): Promise<number[]> {
    return takeNextInSeries(tx, 'certificate_series', kinds, year, { inTurn: true });
  }
}
