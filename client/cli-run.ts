// What each CLI command does with an ExchangeClient. Output goes through `io` so that tests run the
// commands in-process; `io.stop` is Ctrl-C. Returns the exit code: 0 done, 1 refused or failed,
// 2 usage error.
import type { BookSnapshotMessage, Channel, ExecutionReportMessage, PriceLevel } from '../gateway/protocol/messages.ts';
import { USAGE, UsageError, parseCli } from './cli-args.ts';
import type { CliCommand } from './cli-args.ts';
import { ExchangeClient } from './exchange-client.ts';
import type { ExchangeClientEvents } from './client-types.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly stop: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Reports after which an order is done. */
const TERMINAL_KINDS: ReadonlySet<ExecutionReportMessage['kind']> = new Set(['rejected', 'filled', 'cancelled', 'expired']);
const WATCH_CHANNELS: readonly Channel[] = ['book', 'trades', 'bbo'];
const WATCHED_EVENTS = ['executionReport', 'massCancelDone', 'balance', 'bookSnapshot', 'bookUpdate', 'trade', 'bbo'] as const satisfies readonly (keyof ExchangeClientEvents)[];

type Command<C extends CliCommand['command']> = Extract<CliCommand, { command: C }>;

/** How often place and book look for what they wait for. */
const POLL_MS = 25;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Prints the order's reports until it is done, or has rested: the protocol has no report for
 * resting, so an order that has gone quiet for settleMs after its last report counts as rested.
 */
async function place(client: ExchangeClient, c: Command<'place'>, io: CliIo): Promise<number> {
  const reports: ExecutionReportMessage[] = [];
  client.on('executionReport', (r) => reports.push(r));
  await client.connect(c.url, { encoding: c.encoding, token: c.token });
  const deadlineMs = performance.now() + c.timeoutMs;
  const first = await client.place(c.order);
  const ours = (r: ExecutionReportMessage): boolean => r.requestId === first.requestId || (first.orderId !== undefined && r.orderId === first.orderId);
  let printed = 0;
  let done = false;
  let quietSinceMs = performance.now();
  while (!done && !io.stop.aborted) {
    for (; printed < reports.length; printed++) {
      const report = reports[printed] as ExecutionReportMessage;
      if (!ours(report)) continue;
      io.out(JSON.stringify(report));
      quietSinceMs = performance.now();
      done ||= TERMINAL_KINDS.has(report.kind);
    }
    const nowMs = performance.now();
    if (done || nowMs - quietSinceMs >= c.settleMs || nowMs >= deadlineMs) break;
    await sleep(Math.min(c.settleMs, POLL_MS), io.stop);
  }
  return first.kind === 'rejected' ? EXIT_FAILED : EXIT_OK;
}

async function cancel(client: ExchangeClient, c: Command<'cancel'>, io: CliIo): Promise<number> {
  await client.connect(c.url, { encoding: c.encoding, token: c.token });
  const report = await client.cancel(c.order);
  io.out(JSON.stringify(report));
  return report.kind === 'cancelled' ? EXIT_OK : EXIT_FAILED;
}

function ladder(symbol: string, seq: number, bids: readonly PriceLevel[], asks: readonly PriceLevel[]): string[] {
  const width = Math.max(5, ...[...bids, ...asks].map(([price]) => price.length));
  const row = (side: string, [price, qty]: PriceLevel): string => `${side}  ${price.padStart(width)}  ${qty}`;
  return [`${symbol}  book seq ${seq}`, ...[...asks].reverse().map((level) => row('ask', level)), '-'.repeat(width + 10), ...bids.map((level) => row('bid', level))];
}

async function book(client: ExchangeClient, c: Command<'book'>, io: CliIo): Promise<number> {
  let snapshot: BookSnapshotMessage | undefined;
  client.on('bookSnapshot', (s) => {
    if (s.symbol === c.symbol) snapshot ??= s;
  });
  await client.connect(c.url, { encoding: c.encoding });
  await client.subscribe('book', c.symbol, c.depth);
  const deadlineMs = performance.now() + c.timeoutMs;
  while (snapshot === undefined && performance.now() < deadlineMs && !io.stop.aborted) await sleep(POLL_MS, io.stop);
  const s = snapshot;
  if (s === undefined) throw new Error(`no book snapshot for ${c.symbol} within ${c.timeoutMs} ms`);
  if (c.json) io.out(JSON.stringify(s));
  else for (const line of ladder(s.symbol, s.seq, s.bids, s.asks)) io.out(line);
  return EXIT_OK;
}

async function watch(client: ExchangeClient, c: Command<'watch'>, io: CliIo): Promise<number> {
  for (const event of WATCHED_EVENTS) client.on(event, (message: object) => io.out(JSON.stringify(message)));
  client.on('reconnecting', (attempt, delayMs) => io.err(`reconnecting (attempt ${attempt}) in ${delayMs} ms`));
  client.on('reconnected', () => io.err('reconnected'));
  client.on('resync', (symbol) => io.err(`book ${symbol}: sequence gap, resyncing`));
  client.on('serverError', (e) => io.err(`server error ${e.code} ${e.name}: ${e.message}`));
  client.on('failure', (e) => io.err(`error: ${e.message}`));
  await client.connect(c.url, { encoding: c.encoding, reconnect: true, ...(c.token === undefined ? {} : { token: c.token }) });
  for (const channel of WATCH_CHANNELS) await client.subscribe(channel, c.symbol, channel === 'book' ? c.depth : undefined);
  await new Promise<void>((resolve) => (io.stop.aborted ? resolve() : io.stop.addEventListener('abort', () => resolve(), { once: true })));
  return EXIT_OK;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}`);
    io.err(USAGE);
    return EXIT_USAGE;
  }
  if (command.command === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  const client = new ExchangeClient({ requestTimeoutMs: command.timeoutMs });
  try {
    switch (command.command) {
      case 'place': return await place(client, command, io);
      case 'cancel': return await cancel(client, command, io);
      case 'book': return await book(client, command, io);
      case 'watch': return await watch(client, command, io);
    }
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  } finally {
    await client.close();
  }
}
