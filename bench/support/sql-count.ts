// Counts the SQL statements this process sends to PostgreSQL (every pg client: TypeORM's pool, the
// bench's own queries), by wrapping pg's Client.prototype.query. `BENCH_SQL_TRACE=1` also keeps each
// statement's text, so a run can print which statements a certificate costs.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

const uncounted = new AsyncLocalStorage<true>();

/** Runs `work` without counting its statements (the bench's own: writing the batch, polling). */
export function notCounted<T>(work: () => Promise<T>): Promise<T> {
  return uncounted.run(true, work);
}

export interface SqlCounter {
  /** Statements sent since the counter was made. */
  readonly count: number;
  /** Statement texts with how many times each was sent (only with `trace`), most frequent first. */
  top(n: number): [string, number][];
  reset(): void;
}

const BEGIN_OR_END = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i;

export function countSql(trace = process.env.BENCH_SQL_TRACE === '1'): SqlCounter {
  let count = 0;
  const texts = new Map<string, number>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (uncounted.getStore()) return query.apply(this, args);
    count++;
    if (trace) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
      const key = BEGIN_OR_END.test(text) ? text.split(' ')[0]!.toUpperCase() : text.replace(/\s+/g, ' ').slice(0, 160);
      texts.set(key, (texts.get(key) ?? 0) + 1);
    }
    return query.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    top(n) {
      return [...texts].sort((a, b) => b[1] - a[1]).slice(0, n);
    },
    reset() {
      count = 0;
      texts.clear();
    },
  };
}
