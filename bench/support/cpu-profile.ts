// `BENCH_CPU_PROFILE=<file>`: V8 CPU profiles of only the measured parts of a benchmark (not its
// set-up), written as .cpuprofile files that Chrome DevTools or speedscope open.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

export interface CpuProfile {
  stop(): Promise<void>;
}

/** Starts profiling when `file` is given (else does nothing); `stop` writes the profile. */
export async function profileCpu(file: string | undefined): Promise<CpuProfile> {
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
