// The exchange servers of a sweep, one per durability mode, each started fresh (test/server's
// startServer: 127.0.0.1, an OS-chosen port, a temp data dir). Between steps a server must finish
// what is queued, so that a step never inherits the last one's backlog. A server that dies, or that
// has not drained long after an overload, is a result, not an end: why is kept for the report, and a
// fresh server takes its place for the steps that follow.
import { removeDir, startServer, type RunningServer } from '../test/server/server-process.ts';
import { parsePrometheus } from './server-metrics.ts';

/** The end of what a server wrote to stderr that the report quotes when it dies. */
const STDERR_KEPT_CHARS = 2_000;
/** Longest a server may take to drain its rings after a step before it is replaced. */
export const SETTLE_TIMEOUT_MS = 20_000;
const SETTLE_POLL_MS = 200;
/** A quiet moment after draining, so that the next step starts on an idle server. */
const SETTLE_PAUSE_MS = 1_000;

async function drained(server: RunningServer): Promise<boolean> {
  const ready = (await (await fetch(`${server.httpUrl}/readyz`)).json()) as { seqLast: number; seqDurable: number; sessions: number };
  const metrics = parsePrometheus(await (await fetch(`${server.httpUrl}/metrics`)).text());
  return ready.seqDurable === ready.seqLast && ready.sessions === 0
    && metrics.get('exchange_ring_occupancy_ratio{ring="commands"}') === 0 && metrics.get('exchange_ring_occupancy_ratio{ring="events"}') === 0;
}

export class ServerSlot {
  private stderr = '';
  private readonly dataDirs: string[] = [];

  private constructor(private readonly args: readonly string[], private current: RunningServer) {
    this.watch(current);
  }

  static async start(args: readonly string[]): Promise<ServerSlot> {
    return new ServerSlot(args, await startServer({ args: [...args] }));
  }

  get server(): RunningServer {
    return this.current;
  }

  private watch(server: RunningServer): void {
    this.dataDirs.push(server.dataDir);
    this.stderr = '';
    server.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_KEPT_CHARS);
    });
  }

  private alive(): boolean {
    return this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  /**
   * After a step: waits until the server has drained. Undefined when it did; otherwise why not (it
   * died, or it still had a backlog at SETTLE_TIMEOUT_MS), and a fresh server has taken its place.
   */
  async settle(): Promise<string | undefined> {
    const deadlineMs = Date.now() + SETTLE_TIMEOUT_MS;
    while (this.alive() && Date.now() < deadlineMs) {
      if (await drained(this.current).catch(() => false)) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
    const why = this.alive()
      ? `still draining its backlog ${SETTLE_TIMEOUT_MS / 1_000} s after the step`
      : `died: ${this.stderr.split('\n').find((line) => line.startsWith('Error')) ?? `exit code ${this.current.child.exitCode}`}`;
    await this.replace();
    return why;
  }

  /** Stops (or clears away) the current server and starts a fresh one. */
  async replace(): Promise<void> {
    if (this.alive()) this.current.child.kill('SIGKILL');
    await new Promise((resolve) => (this.alive() ? this.current.child.once('exit', resolve) : resolve(undefined)));
    removeDir(this.current.dataDir);
    this.current = await startServer({ args: [...this.args] });
    this.watch(this.current);
  }

  async stop(): Promise<void> {
    if (this.current.child.exitCode === null) await this.current.stop();
    for (const dir of this.dataDirs) removeDir(dir);
  }

  /** The sweep is being interrupted: no draining, only removal. */
  kill(): void {
    this.current.child.kill('SIGKILL');
    for (const dir of this.dataDirs) removeDir(dir);
  }
}
