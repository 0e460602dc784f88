// The server's side of the projector: starts the child process, restarts it with backoff when it
// dies, sends it the journal's durable seq, and keeps its latest status for /metrics and /readyz.
// Nothing here is on the matching path: the child's lag, failures and restarts never hold up an
// acknowledgement. Between two status reports the lag grows by the events released meanwhile, so
// the gauge keeps climbing even while the child is down.
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Logger } from 'pino';
import { reconnectDelayMs } from '../client/backoff.ts';
import type { FromProjector, ProjectorConfig, StoreStatus, ToProjector } from './projector-protocol.ts';

export const PROJECTOR_RESTART_DELAY_MS_FIRST = 500;
export const PROJECTOR_RESTART_DELAY_MS_MAX = 10_000;
/** How often the child hears of a new durable seq. */
const DURABLE_NOTIFY_INTERVAL_MS = 5;
/** On shutdown, the time the child has to apply what is durable. */
export const PROJECTOR_DRAIN_TIMEOUT_MS = 10_000;
/** Past the drain timeout, how long before the child is killed. */
const PROJECTOR_EXIT_GRACE_MS = 5_000;
/** Scheduling priority of the projector process (0 is the server's; 19 the lowest). */
const PROJECTOR_NICENESS = 10;

const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export class ProjectorSupervisor {
  #child: ChildProcess | null = null;
  #restarts = 0;
  #attempt = 0;
  #status: FromProjector | null = null;
  #releasedSinceStatus = 0;
  #seqSent = -1;
  #stopping = false;
  #restartTimer: NodeJS.Timeout | undefined;
  readonly #notifyTimer: NodeJS.Timeout;

  constructor(private readonly config: ProjectorConfig, private readonly seqDurable: () => number, private readonly log: Logger) {
    this.spawn();
    this.#notifyTimer = setInterval(() => this.notifyDurable(), DURABLE_NOTIFY_INTERVAL_MS);
  }

  /** Counts events the server released (each is in the log) since the child last reported. */
  eventsReleased(count: number): void {
    this.#releasedSinceStatus += count;
  }

  /** Events each store is behind the log; empty until the child first reports. */
  lagEvents(): Map<string, number> {
    return new Map((this.#status?.stores ?? []).map((s) => [s.store, s.lagEvents + this.#releasedSinceStatus]));
  }

  /** For /readyz: the child, and each store's state, position and lag. */
  readiness(): Record<string, unknown> {
    const lags = this.lagEvents();
    const stores = Object.fromEntries((this.#status?.stores ?? []).map((s: StoreStatus) => [s.store, { ...s, lagEvents: lags.get(s.store) }]));
    return { projector: { pid: this.#child?.pid ?? null, running: this.#child !== null, restarts: this.#restarts }, ...stores };
  }

  /** Lets the child apply everything durable (bounded in time), then ends it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#notifyTimer);
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (child === null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ kind: 'drain', seqDurable: this.seqDurable(), timeoutMs: PROJECTOR_DRAIN_TIMEOUT_MS });
    const kill = setTimeout(() => child.kill('SIGKILL'), PROJECTOR_DRAIN_TIMEOUT_MS + PROJECTOR_EXIT_GRACE_MS);
    await exited;
    clearTimeout(kill);
  }

  private spawn(): void {
    const child = fork(new URL(`./projector-main${EXTENSION}`, import.meta.url), [], {
      execArgv: EXTENSION === '.ts' ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    // Off the matching path also for the CPU: when the cores are short, the server goes first and
    // the projector falls behind (and catches up from the log).
    if (child.pid !== undefined) setPriority(child.pid, PROJECTOR_NICENESS);
    this.#seqSent = this.seqDurable();
    this.log.info({ projectorPid: child.pid }, 'projector starting');
    child.on('message', (m: FromProjector) => {
      this.#status = m;
      this.#releasedSinceStatus = 0;
      this.#attempt = 0;
    });
    // A failed send (the child just died) is followed by its exit event, which restarts it.
    child.on('error', (error) => this.log.warn({ error: error.message }, 'projector channel error'));
    child.once('exit', (code, signal) => {
      this.#child = null;
      if (this.#stopping) return;
      const delayMs = reconnectDelayMs(this.#attempt++, PROJECTOR_RESTART_DELAY_MS_FIRST, PROJECTOR_RESTART_DELAY_MS_MAX);
      this.#restarts++;
      this.log.error({ code, signal, delayMs }, 'projector exited; restarting');
      this.#restartTimer = setTimeout(() => this.spawn(), delayMs);
    });
    this.send({ kind: 'start', config: this.config, seqDurable: this.#seqSent });
  }

  private notifyDurable(): void {
    const seq = this.seqDurable();
    if (seq === this.#seqSent || this.#child === null) return;
    this.#seqSent = seq;
    this.send({ kind: 'durable', seqDurable: seq });
  }

  private send(message: ToProjector): void {
    if (this.#child?.connected === true) this.#child.send(message);
  }
}
