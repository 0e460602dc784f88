// Runs retention after each snapshot without holding up commits: at most one run at a time (a
// snapshot taken meanwhile gets one more run when the current one ends), outcomes go to a hook, and
// a failure nobody listened to is raised when the owner waits for the runner to go idle.

import type { FsOps } from './fs-ops.ts';
import { applyRetention, type RetentionReport, type SegmentDisposal } from './retention.ts';

export type RetentionOutcome = { readonly report: RetentionReport } | { readonly error: unknown };

export interface RetentionRunnerOptions {
  readonly dir: string;
  readonly snapshotsKeepCount: number;
  readonly segmentDisposal: SegmentDisposal;
  readonly fsOps: FsOps;
  readonly onRetention: ((outcome: RetentionOutcome) => void) | undefined;
}

export class RetentionRunner {
  readonly #options: RetentionRunnerOptions;
  #running: Promise<void> | null = null;
  #rerunWanted = false;
  #unheardError: { readonly error: unknown } | null = null;

  constructor(options: RetentionRunnerOptions) {
    if (!Number.isSafeInteger(options.snapshotsKeepCount) || options.snapshotsKeepCount < 1) {
      throw new RangeError(`snapshotsKeepCount ${options.snapshotsKeepCount} must be a positive integer`);
    }
    this.#options = options;
  }

  /** Starts a run, or asks for one more after the run under way. */
  run(): void {
    if (this.#running !== null) {
      this.#rerunWanted = true;
      return;
    }
    const { dir, snapshotsKeepCount, segmentDisposal, fsOps, onRetention } = this.#options;
    const outcome: Promise<RetentionOutcome> = applyRetention(dir, { snapshotsKeepCount, segmentDisposal, fsOps }).then(
      (report) => ({ report }),
      (error: unknown) => ({ error }),
    );
    this.#running = outcome
      .then((result) => {
        if (onRetention !== undefined) onRetention(result);
        else if ('error' in result) this.#unheardError = result;
      })
      // A throwing hook must not become an unhandled rejection that takes the process down.
      .catch((error: unknown) => {
        this.#unheardError = { error };
      })
      .finally(() => {
        this.#running = null;
        if (!this.#rerunWanted) return;
        this.#rerunWanted = false;
        this.run();
      });
  }

  /** Resolves once no run is under way; rejects with a failure no hook received. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
    const unheard = this.#unheardError;
    this.#unheardError = null;
    if (unheard !== null) throw unheard.error;
  }
}
