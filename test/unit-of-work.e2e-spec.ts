import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx, UnitOfWork, type BeforeCommitBatch } from '#libs/core';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/** UnitOfWork against a real PostgreSQL (a fresh database): commits, rollbacks and joined transactions. */
describe('UnitOfWork', () => {
  let database: TestDatabase;
  let db: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await db.query('CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL)');
    uow = new UnitOfWork(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const count = async (text: string): Promise<number> =>
    ((await db.query('SELECT count(*)::int AS n FROM note WHERE text = $1', [text])) as [{ n: number }])[0].n;

  it('runs afterCommit hooks once the transaction has committed, in the order registered', async () => {
    const seen: string[] = [];
    const result = await uow.run(async (tx) => {
      await tx.manager.query(`INSERT INTO note (text) VALUES ('committed')`);
      tx.afterCommit(async () => {
        seen.push(`first sees ${await count('committed')}`);
      });
      tx.afterCommit(() => {
        seen.push('second');
      });
      expect(seen).toEqual([]);
      return 42;
    });
    expect(result).toBe(42);
    // The first hook read on another connection: the row was committed before it ran.
    expect(seen).toEqual(['first sees 1', 'second']);
  });

  it('runs no hook when the transaction rolls back, and rethrows the error', async () => {
    const seen: string[] = [];
    await expect(
      uow.run(async (tx) => {
        await tx.manager.query(`INSERT INTO note (text) VALUES ('rolled back')`);
        tx.afterCommit(() => {
          seen.push('ran');
        });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(seen).toEqual([]);
    expect(await count('rolled back')).toBe(0);
  });

  it('joins the transaction it is given: one commit, and the inner hooks run after it', async () => {
    const seen: string[] = [];
    await uow.run(async (outer) => {
      await uow.run(outer, async (inner) => {
        expect(inner).toBe(outer);
        await inner.manager.query(`INSERT INTO note (text) VALUES ('joined')`);
        inner.afterCommit(() => {
          seen.push('inner');
        });
      });
      // The inner run did not commit: nothing is visible outside, and its hook waits.
      expect(await count('joined')).toBe(0);
      expect(seen).toEqual([]);
      outer.afterCommit(() => {
        seen.push('outer');
      });
    });
    expect(await count('joined')).toBe(1);
    expect(seen).toEqual(['inner', 'outer']);
  });

  it('a joined run that fails rolls back the whole transaction', async () => {
    const seen: string[] = [];
    await expect(
      uow.run(async (outer) => {
        await outer.manager.query(`INSERT INTO note (text) VALUES ('outer of failed')`);
        outer.afterCommit(() => {
          seen.push('outer');
        });
        await uow.run(outer, () => Promise.reject(new Error('inner failed')));
      }),
    ).rejects.toThrow('inner failed');
    expect(await count('outer of failed')).toBe(0);
    expect(seen).toEqual([]);
  });

  it('logs a failing hook instead of throwing it, and runs the hooks after it', async () => {
    const warnings: string[] = [];
    const warn = Logger.prototype.warn;
    Logger.prototype.warn = function (message: unknown) {
      warnings.push(String(message));
    };
    try {
      const seen: string[] = [];
      await expect(
        uow.run(async (tx) => {
          tx.afterCommit(() => Promise.reject(new Error('queue down')));
          tx.afterCommit(() => {
            seen.push('after the failure');
          });
          return 'done';
        }),
      ).resolves.toBe('done');
      expect(seen).toEqual(['after the failure']);
      expect(warnings).toEqual([expect.stringContaining('queue down')]);
    } finally {
      Logger.prototype.warn = warn;
    }
  });

  describe('writeBeforeCommit', () => {
    /** A batch that inserts its rows as notes in one statement and remembers each call. */
    const batch = (calls: string[][]): BeforeCommitBatch<string> => ({
      key: Symbol('notes'),
      async write(m, rows) {
        calls.push(rows);
        await m.query(`INSERT INTO note (text) SELECT unnest($1::text[])`, [rows]);
      },
    });

    it('writes every row the transaction added in one call, in order, just before it commits', async () => {
      const calls: string[][] = [];
      const notes = batch(calls);
      await uow.run(async (tx) => {
        await tx.writeBeforeCommit(notes, ['batched 1', 'batched 2']);
        await uow.run(tx, (joined) => joined.writeBeforeCommit(notes, ['batched 3']));
        // Not written yet, not even inside the transaction.
        expect(calls).toEqual([]);
        expect(await tx.manager.query(`SELECT count(*)::int AS n FROM note WHERE text LIKE 'batched%'`)).toEqual([
          { n: 0 },
        ]);
        tx.afterCommit(async () => {
          calls.push([`after commit sees ${await count('batched 3')}`]);
        });
      });
      expect(calls).toEqual([['batched 1', 'batched 2', 'batched 3'], ['after commit sees 1']]);
      const rows = (await db.query(`SELECT text FROM note WHERE text LIKE 'batched%' ORDER BY id`)) as {
        text: string;
      }[];
      expect(rows.map((r) => r.text)).toEqual(['batched 1', 'batched 2', 'batched 3']);
    });

    it('a failing write rolls the whole transaction back and runs no afterCommit hook', async () => {
      const seen: string[] = [];
      const failing: BeforeCommitBatch<string> = {
        key: Symbol('failing'),
        write: () => Promise.reject(new Error('chain refused')),
      };
      await expect(
        uow.run(async (tx) => {
          await tx.manager.query(`INSERT INTO note (text) VALUES ('before a failed batch')`);
          await tx.writeBeforeCommit(failing, ['x']);
          tx.afterCommit(() => {
            seen.push('ran');
          });
        }),
      ).rejects.toThrow('chain refused');
      expect(await count('before a failed batch')).toBe(0);
      expect(seen).toEqual([]);
    });

    it('nothing is written when the work fails, and a Tx made by hand writes at once', async () => {
      const calls: string[][] = [];
      const notes = batch(calls);
      await expect(
        uow.run(async (tx) => {
          await tx.writeBeforeCommit(notes, ['never written']);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(calls).toEqual([]);
      await db.transaction(async (m) => {
        await new Tx(m).writeBeforeCommit(notes, ['at once']);
        expect(calls).toEqual([['at once']]);
      });
      expect(await count('at once')).toBe(1);
    });
  });
});
