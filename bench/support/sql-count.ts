// Counts the SQL statements this process sends to PostgreSQL (every pg client: TypeORM's pool, the
// worker's), by wrapping pg's Client.prototype.query; the clients given to `exclude` (the bench's own
// connection: writing batches, polling) are left out by identity. `BENCH_SQL_TRACE=1` also keeps each
// statement's text, so a run can print which statements a certificate costs.
//
// By identity, not by async context: an earlier version left out whatever ran in the bench's own
// AsyncLocalStorage context, and the worker's jobs sometimes ran in it (BullMQ woken by the bench's
// enqueue), so 3–4 certificates of 60 went partly uncounted.
import pg from 'pg';

export interface SqlCounter {
  /** Statements sent since the counter was made or reset. */
  readonly count: number;
  /** Statement texts with how many times each was sent (only with `trace`), most frequent first. */
  top(n: number): [string, number][];
  /** Statement texts with the milliseconds from the call to the answer (pg serialising the parameters included), summed (only with `trace`), longest first. */
  slowest(n: number): [string, number][];
  reset(): void;
}

const BEGIN_OR_END = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i;

export function countSql(exclude: readonly pg.Client[] = [], trace = process.env.BENCH_SQL_TRACE === '1'): SqlCounter {
  let count = 0;
  const excluded = new Set<unknown>(exclude);
  const texts = new Map<string, number>();
  const times = new Map<string, number>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (excluded.has(this)) return query.apply(this, args);
    count++;
    if (trace) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
      const key = BEGIN_OR_END.test(text) ? text.split(' ')[0]!.toUpperCase() : text.replace(/\s+/g, ' ').slice(0, 160);
      texts.set(key, (texts.get(key) ?? 0) + 1);
      const t0 = performance.now();
      const answer = query.apply(this, args);
      const done = () => times.set(key, (times.get(key) ?? 0) + performance.now() - t0);
      if (answer && typeof (answer as Promise<unknown>).then === 'function')
        (answer as Promise<unknown>).then(done, done);
      return answer;
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
    slowest(n) {
      return [...times].sort((a, b) => b[1] - a[1]).slice(0, n);
    },
    reset() {
      count = 0;
      texts.clear();
      times.clear();
    },
  };
}
