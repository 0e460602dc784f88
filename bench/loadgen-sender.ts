// A sender process of the load generator (forked by loadgen.ts): it opens its share of the
// connections, logs each in and clears its account, reports ready, and at the common start time
// sends its share of the schedule (every senderCount-th request), then waits for the answers and
// hands its measurements back. Several senders spread the client's work over several processes.
import type { Encoding } from '../gateway/protocol/codec.ts';
import { LoadConnection } from './loadgen-connection.ts';
import { OrderFlow } from './loadgen-flow.ts';
import type { Mix } from './loadgen-mix.ts';
import { LATE_SEND_MS_MAX } from './loadgen-options.ts';
import { mulberry32 } from './mulberry32.ts';
import { runSchedule } from './loadgen-schedule.ts';
import { SenderStats, type SenderResult } from './loadgen-stats.ts';

/** How often the drain looks whether every request has been answered. */
const DRAIN_POLL_MS = 10;
const MS_PER_SECOND = 1_000;

export interface SenderConfig {
  readonly url: string;
  readonly encoding: Encoding;
  readonly echo: boolean;
  /** This sender's connections: one account each (no tokens against the echo server). */
  readonly accounts: readonly { readonly connectionIndex: number; readonly token: string | undefined }[];
  readonly symbolNames: readonly string[];
  readonly mix: Mix;
  readonly seed: number;
  readonly rateHz: number;
  readonly senderIndex: number;
  readonly senderCount: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly drainMs: number;
}

export type ToSender = { readonly kind: 'init'; readonly config: SenderConfig } | { readonly kind: 'go'; readonly startEpochMs: number };
export type FromSender = { readonly kind: 'ready' } | { readonly kind: 'result'; readonly result: SenderResult } | { readonly kind: 'failed'; readonly message: string };

function post(message: FromSender): void {
  process.send?.(message);
}

async function open(config: SenderConfig, stats: SenderStats): Promise<LoadConnection[]> {
  return Promise.all(config.accounts.map(async ({ connectionIndex, token }) => {
    const flow = new OrderFlow(config.mix, config.symbolNames, mulberry32(config.seed * 1_000_003 + connectionIndex));
    const connection = await LoadConnection.open(config.url, config.encoding, flow, stats, config.echo);
    if (token !== undefined) {
      await connection.logIn(token);
      await connection.cancelAll();
    }
    return connection;
  }));
}

async function drain(connections: readonly LoadConnection[], drainMs: number): Promise<void> {
  const deadlineMs = performance.now() + drainMs;
  while (connections.some((c) => c.outstanding > 0) && performance.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  for (const c of connections) c.abandonOutstanding();
}

async function run(config: SenderConfig, connections: readonly LoadConnection[], stats: SenderStats, startEpochMs: number): Promise<SenderResult> {
  const periodMs = MS_PER_SECOND / config.rateHz;
  const totalCount = Math.round((config.rateHz * (config.warmupMs + config.durationMs)) / MS_PER_SECOND);
  const count = Math.max(0, Math.ceil((totalCount - config.senderIndex) / config.senderCount));
  const startMs = startEpochMs - performance.timeOrigin + config.senderIndex * periodMs;
  const measuredFromMs = startEpochMs - performance.timeOrigin + config.warmupMs;
  const intervalMs = periodMs * config.senderCount;
  const cpuBefore = process.cpuUsage();
  const sent = await runSchedule({
    startMs, intervalMs, count, stopMs: startMs + count * intervalMs + LATE_SEND_MS_MAX,
    send: (index, dueMs) => (connections[index % connections.length] as LoadConnection).send(dueMs, dueMs >= measuredFromMs),
  });
  const unsent = Array.from({ length: count - sent }, (_, i) => startMs + (sent + i) * intervalMs);
  stats.gaveUp(unsent.map((dueMs) => ({ dueMs, measured: dueMs >= measuredFromMs })), 'NOT_SENT');
  await drain(connections, config.drainMs);
  const cpu = process.cpuUsage(cpuBefore);
  await Promise.all(connections.map((c) => c.close()));
  return stats.result(cpu.user + cpu.system);
}

let config: SenderConfig | undefined;
let connections: LoadConnection[] = [];
const stats = new SenderStats();

process.on('message', (message: ToSender) => {
  const step = message.kind === 'init'
    ? (async () => {
      config = message.config;
      connections = await open(config, stats);
      post({ kind: 'ready' });
    })()
    : (async () => {
      post({ kind: 'result', result: await run(config as SenderConfig, connections, stats, message.startEpochMs) });
      process.disconnect();
    })();
  step.catch((error: unknown) => {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
