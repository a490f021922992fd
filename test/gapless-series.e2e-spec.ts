// core's takeNextInSeries with `inTurn` (what the certificates' number series use): transactions that
// wait for a series get their numbers in the order they asked for them, on the real PostgreSQL.
import type { QueryRunner } from 'typeorm';
import { takeNextInSeries, Tx } from '#libs/core';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

describe('gapless series taken in turn', () => {
  let sys: TestSystem;
  const runners: QueryRunner[] = [];

  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => {
    for (const r of runners) if (!r.isReleased) await r.release();
    await sys?.close();
  });

  async function transaction(): Promise<{ runner: QueryRunner; tx: Tx }> {
    const runner = sys.runtime.dataSource.createQueryRunner();
    runners.push(runner);
    await runner.connect();
    await runner.startTransaction();
    return { runner, tx: new Tx(runner.manager) };
  }

  /** Backends of this database waiting for a lock (the takers queued behind the holder). */
  const waiting = async (): Promise<number> =>
    Number(
      (
        (await sys.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE NOT l.granted AND a.datname = current_database()`,
        )) as { n: number }[]
      )[0]!.n,
    );

  it('gives the numbers in the order the waiting transactions asked, a stamp with its certificate', async () => {
    // A year no other test numbers in.
    const year = 2999;
    const kinds = ['verification', 'stamp'];
    const holder = await transaction();
    expect(await takeNextInSeries(holder.tx, 'certificate_series', kinds, year, { inTurn: true })).toEqual([1, 1]);

    // Five more ask one after the other while the first holds the series; each is queued before the next asks.
    const asked: { runner: QueryRunner; taken: Promise<number[]> }[] = [];
    for (let i = 1; i <= 5; i++) {
      const t = await transaction();
      asked.push({
        runner: t.runner,
        taken: takeNextInSeries(t.tx, 'certificate_series', kinds, year, { inTurn: true }),
      });
      await eventually(async () => ((await waiting()) >= i ? true : undefined), 10000, 10);
    }
    await holder.runner.commitTransaction();
    // Each committed as soon as it has its numbers, so the next one can have its own.
    const served: { i: number; taken: number[] }[] = [];
    const pending = new Map(asked.map((a, i) => [i, a.taken.then((taken) => ({ i, taken }))]));
    while (pending.size) {
      const next = await Promise.race(pending.values());
      pending.delete(next.i);
      served.push(next);
      await asked[next.i]!.runner.commitTransaction();
    }
    expect(served).toEqual([
      { i: 0, taken: [2, 2] },
      { i: 1, taken: [3, 3] },
      { i: 2, taken: [4, 4] },
      { i: 3, taken: [5, 5] },
      { i: 4, taken: [6, 6] },
    ]);
  });

  it('gives a number back on rollback: the next in line takes it', async () => {
    const year = 2998;
    const first = await transaction();
    expect(await takeNextInSeries(first.tx, 'certificate_series', ['calibration'], year, { inTurn: true })).toEqual([
      1,
    ]);
    const second = await transaction();
    const taken = takeNextInSeries(second.tx, 'certificate_series', ['calibration'], year, { inTurn: true });
    await eventually(async () => ((await waiting()) >= 1 ? true : undefined), 10000, 10);
    await first.runner.rollbackTransaction();
    expect(await taken).toEqual([1]);
    await second.runner.commitTransaction();
  });
});
