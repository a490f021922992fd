import { ConfigurationError } from '#libs/core';

/** Signals on which an entrypoint shuts down gracefully. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** How long the resources still open get when the shutdown timeout has passed. */
const FORCED_CLOSE_GRACE_MS = 5000;

interface Resource {
  name: string;
  close(): Promise<void>;
}

/**
 * The one owner of a process's shutdown signals (apps/*\/src/main.ts). It waits for start-up to
 * settle, closes what start-up opened in reverse order (HTTP server and workers before the database
 * they use, the embedded PostgreSQL last), and exits 0, or 1 when something failed to close or the
 * shutdown took longer than `timeoutMs`.
 *
 * Nest's `enableShutdownHooks` must not be used in the same process: it re-raises the signal after
 * closing its own context, which kills the process (exit 143) before the rest is closed.
 */
export class ProcessLifecycle {
  private readonly resources: Resource[] = [];
  private startup: Promise<unknown> = Promise.resolve();
  private shutdownStarted = false;

  constructor(
    private readonly log: (line: string) => void,
    private readonly timeoutMs: number,
  ) {}

  /** True once a shutdown signal arrived: start-up should stop opening things. */
  get stopping(): boolean {
    return this.shutdownStarted;
  }

  /** Installs the signal handlers; call before start-up opens anything. */
  listen(): this {
    for (const signal of SHUTDOWN_SIGNALS) {
      process.on(signal, () => {
        if (this.shutdownStarted) this.log(`${signal}: already shutting down`);
        else void this.shutdown(signal);
      });
    }
    return this;
  }

  /** Registers something to close at shutdown; closed in the reverse order of registration. */
  own(name: string, close: () => Promise<void>): void {
    this.resources.push({ name, close });
  }

  /**
   * Runs start-up; a shutdown that arrives meanwhile waits for it. A start-up failure is printed
   * on stderr as one line, what was opened is closed and the process exits 1.
   */
  start(run: () => Promise<void>): void {
    this.startup = run().catch(async (e: unknown) => {
      console.error(e instanceof ConfigurationError ? e.message : `Start-up failed: ${message(e)}`);
      this.shutdownStarted = true;
      await this.closeAll();
      process.exit(1);
    });
  }

  private async shutdown(signal: string): Promise<void> {
    this.shutdownStarted = true;
    this.log(`${signal}: shutting down, finishing in-flight work`);
    const timer = setTimeout(() => void this.forceExit(), this.timeoutMs);
    timer.unref();
    await this.startup;
    const clean = await this.closeAll();
    process.exit(clean ? 0 : 1);
  }

  private async forceExit(): Promise<void> {
    this.log(`shutdown took longer than ${this.timeoutMs} ms; closing the rest and exiting`);
    setTimeout(() => process.exit(1), FORCED_CLOSE_GRACE_MS).unref();
    // What is still open is closed without waiting for the rest (above all, no orphaned embedded PostgreSQL).
    await Promise.allSettled(this.resources.map((r) => r.close()));
    process.exit(1);
  }

  /** Closes every resource still open, newest first; false when one of them failed to close. */
  private async closeAll(): Promise<boolean> {
    let clean = true;
    for (let r = this.resources.pop(); r; r = this.resources.pop()) {
      try {
        await r.close();
      } catch (e) {
        clean = false;
        this.log(`closing ${r.name} failed: ${message(e)}`);
      }
    }
    return clean;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
