// `BENCH_BROWSER_TRACE=<file>` (bench/web.bench.ts): a Chrome trace of one cold load, written where
// DevTools' Performance panel opens it, and summed here by what kept the page's main thread busy.
import { readFile } from 'node:fs/promises';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread time (CPU) of the event, where Chrome records it. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; frame?: string } };
}

/** Top-level tasks of the renderer's main thread, and what they were: compile, evaluate, parse, GC… */
const KINDS = [
  'v8.compileModule',
  'v8.compile',
  'v8.evaluateModule',
  'EvaluateScript',
  'FunctionCall',
  'TimerFire',
  'EventDispatch',
  'ParseHTML',
  'ParseAuthorStyleSheet',
  'UpdateLayoutTree',
  'Layout',
  'Paint',
  'MajorGC',
  'MinorGC',
  'V8.GC_SCAVENGER',
  'V8.GC_MARK_COMPACTOR',
  'ResourceReceivedData',
  'ResourceFinish',
  'RunMicrotasks',
  'v8.run',
];

function short(url: string | undefined): string {
  return url ? url.replace(/^https?:\/\/[^/]+/, '').replace(/-[A-Za-z0-9_-]{8}\./, '.') : '';
}

/**
 * The main thread of the page's renderer (the thread named CrRendererMain with the most work), its
 * busy time by task kind and, for compile and evaluate, by file; with the first and last timestamps.
 */
export async function summariseTrace(file: string): Promise<string[]> {
  const { traceEvents } = JSON.parse(await readFile(file, 'utf8')) as { traceEvents: TraceEvent[] };
  const mains = traceEvents.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  const busy = (pid: number, tid: number, field: 'dur' | 'tdur' = 'dur') =>
    traceEvents
      .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.name === 'RunTask')
      .reduce((a, e) => a + (e[field] ?? 0), 0);
  // The page's renderer: the one that fetched the app's files (not Chrome's own pages).
  const pages = new Set(
    traceEvents.filter((e) => e.args?.data?.url?.startsWith('http')).map((e) => `${e.pid}:${e.tid}`),
  );
  const main = mains
    .filter((m) => pages.has(`${m.pid}:${m.tid}`))
    .sort((a, b) => busy(b.pid, b.tid) - busy(a.pid, a.tid))[0];
  if (!main) return ['no renderer main thread of the page in the trace'];
  const events = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const nav = traceEvents.find((e) => e.name === 'navigationStart' && e.pid === main.pid)?.ts ?? events[0]!.ts;
  const ms = (us: number) => Math.round(us / 1000);
  const byKind = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const e of events) {
    if (!KINDS.includes(e.name)) continue;
    byKind.set(e.name, (byKind.get(e.name) ?? 0) + (e.tdur ?? e.dur ?? 0));
    const url = e.args?.data?.url;
    if (url && /compile|evaluate|EvaluateScript/i.test(e.name)) {
      const key = `${e.name} ${short(url)}`;
      byFile.set(key, (byFile.get(key) ?? 0) + (e.tdur ?? e.dur ?? 0));
    }
  }
  const tasks = events.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 30_000);
  const lines = [
    `main thread: tasks ${ms(busy(main.pid, main.tid))} ms wall, ${ms(busy(main.pid, main.tid, 'tdur'))} ms CPU; ` +
      'CPU by kind (nested kinds overlap):',
  ];
  for (const [k, d] of [...byKind].sort((a, b) => b[1] - a[1])) if (d > 2000) lines.push(`  ${k} ${ms(d)} ms`);
  lines.push('CPU by file:');
  for (const [k, d] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${k} ${ms(d)} ms`);
  lines.push('tasks over 30 ms (start → end after navigation, CPU):');
  for (const t of tasks) lines.push(`  ${ms(t.ts - nav)} → ${ms(t.ts - nav + (t.dur ?? 0))} (${ms(t.tdur ?? 0)})`);
  return lines;
}
