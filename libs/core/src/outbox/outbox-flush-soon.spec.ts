import { Outbox } from './outbox.service.js';

/** An Outbox whose flush is a gate the test opens: counts passes, touches no database or queue. */
class GatedOutbox extends Outbox {
  passes = 0;
  private open: (() => void)[] = [];
  constructor() {
    super(undefined as never, undefined as never, undefined as never);
  }
  override flushQuietly(): Promise<void> {
    this.passes++;
    return new Promise((resolve) => this.open.push(resolve));
  }
  /** Lets the running pass finish, and whatever it schedules run up to its next gate. */
  async release(): Promise<void> {
    this.open.shift()?.();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

describe('Outbox.flushSoon (the after-commit flush in the background)', () => {
  it('runs one pass at a time, and one more for all the commits made during it', async () => {
    const outbox = new GatedOutbox();
    outbox.flushSoon();
    expect(outbox.passes).toBe(1);
    outbox.flushSoon();
    outbox.flushSoon();
    expect(outbox.passes).toBe(1); // not concurrent
    await outbox.release();
    expect(outbox.passes).toBe(2); // one more pass for both
    await outbox.release();
    expect(outbox.passes).toBe(2);
    await outbox.settled();
  });

  it('does not lose a commit made while the last pass is ending, whenever it comes', async () => {
    // The commit lands 0…7 microtasks after the pass ends: during the drain's last check, after it,
    // or before the flush lets go of `running`. Each time one more pass must run.
    for (let ticks = 0; ticks < 8; ticks++) {
      const outbox = new GatedOutbox();
      outbox.flushSoon();
      outbox['open'].shift()!(); // the pass ends
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      outbox.flushSoon(); // a commit
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect([ticks, outbox.passes]).toEqual([ticks, 2]);
      await outbox.release();
      await outbox.settled();
    }
  });

  it('is waited for at shutdown', async () => {
    const outbox = new GatedOutbox();
    outbox.flushSoon();
    let closed = false;
    const shutdown = outbox.beforeApplicationShutdown().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    await outbox.release();
    await shutdown;
    expect(closed).toBe(true);
  });
});
