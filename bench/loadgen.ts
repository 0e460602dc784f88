// `npm run loadgen -- --url ws://127.0.0.1:P/ws --rate R --duration S [--connections C] [--senders N]
// [--encoding msgpack|flatbuffers] [--mix limit=50,marketable=15,cancel=25,replace=10] [--warmup S]
// [--symbols N] [--seed N] [--admin-key K] [--durability fsync|none] [--echo] --out FILE.json`
//
// An open-loop, fixed-rate load generator: sender processes (forked, each with its share of the
// connections and every N-th slot of the schedule) send a mix of orders across many accounts and
// symbols and measure each request from its intended send time to its acknowledgement into
// HdrHistograms; the warm-up is excluded. With --admin-key (and JWT_SECRET in the environment) it
// first creates its symbols, accounts and deposits, so one command runs against a fresh server.
// --echo drives the bare echo server (bench/echo-server.ts) with the same requests instead.
// The last line printed is one JSON object of the headline figures; --out gets the whole report.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { token } from '../test/server/server-process.ts';
import { accountName, benchSymbols } from './loadgen-market.ts';
import { parseLoadgenOptions, UsageError, type LoadgenOptions } from './loadgen-options.ts';
import { buildReport, loadAverage1m, reportLines, summaryLine, type LoadReport } from './loadgen-report.ts';
import type { FromSender, SenderConfig, ToSender } from './loadgen-sender.ts';
import { setUpVenue } from './loadgen-setup.ts';
import { mergeResults, type SenderResult } from './loadgen-stats.ts';

const SENDER = new URL('./loadgen-sender.ts', import.meta.url).pathname;
/** Time between every sender being ready and the first due request, so that all start together. */
const START_DELAY_MS = 500;
/** Longest a sender may take to connect and log in, or to finish after its drain. */
const SENDER_TIMEOUT_MS = 60_000;
const MS_PER_SECOND = 1_000;

function tokenSecret(o: LoadgenOptions): string | undefined {
  if (o.echo) return undefined;
  const secret = process.env['JWT_SECRET'];
  if (secret === undefined || secret.length === 0) throw new UsageError('JWT_SECRET must be set to the server\'s secret, to sign the accounts\' login tokens');
  return secret;
}

async function senderConfigs(o: LoadgenOptions, secret: string | undefined): Promise<SenderConfig[]> {
  const symbolNames = benchSymbols(o.symbols).map((s) => s.name);
  const accounts = await Promise.all(Array.from({ length: o.connections }, async (_, connectionIndex) => ({
    connectionIndex, token: secret === undefined ? undefined : await token(accountName(connectionIndex), ['trader'], { secret }),
  })));
  return Array.from({ length: o.senders }, (_, senderIndex) => ({
    url: o.url, encoding: o.encoding, echo: o.echo, accounts: accounts.filter((a) => a.connectionIndex % o.senders === senderIndex),
    symbolNames, mix: o.mix, seed: o.seed, rateHz: o.rateHz, senderIndex, senderCount: o.senders,
    warmupMs: o.warmupSeconds * MS_PER_SECOND, durationMs: o.durationSeconds * MS_PER_SECOND, drainMs: o.drainSeconds * MS_PER_SECOND,
  }));
}

/** Waits for a sender's next message of `kind`; a failure, an exit or the timeout rejects. */
function nextFrom(child: ChildProcess, kind: FromSender['kind'], timeoutMs: number): Promise<FromSender> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`a sender sent no ${kind} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: FromSender): void => {
      if (m.kind === kind) done(undefined, m);
      else if (m.kind === 'failed') done(new Error(`a sender failed: ${m.message}`));
    };
    const onExit = (code: number | null): void => done(new Error(`a sender exited (${code}) before ${kind}`));
    function done(error: Error | undefined, m?: FromSender): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error === undefined) resolve(m as FromSender);
      else reject(error);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function runSenders(configs: readonly SenderConfig[], timeoutMs: number): Promise<{ results: SenderResult[]; measuredFromEpochMs: number }> {
  const children = configs.map(() => fork(SENDER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const ready = children.map((child) => nextFrom(child, 'ready', SENDER_TIMEOUT_MS));
    children.forEach((child, i) => child.send({ kind: 'init', config: configs[i] as SenderConfig } satisfies ToSender));
    await Promise.all(ready);
    const startEpochMs = Date.now() + START_DELAY_MS;
    const finished = children.map((child) => nextFrom(child, 'result', timeoutMs));
    for (const child of children) child.send({ kind: 'go', startEpochMs } satisfies ToSender);
    const results = (await Promise.all(finished)).map((m) => (m as Extract<FromSender, { kind: 'result' }>).result);
    return { results, measuredFromEpochMs: startEpochMs + (configs[0]?.warmupMs ?? 0) };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

async function main(): Promise<LoadReport> {
  const o = parseLoadgenOptions(process.argv.slice(2));
  const secret = tokenSecret(o);
  const loadStart = loadAverage1m();
  if (o.adminKey !== undefined && !o.echo) await setUpVenue(o.url, o.adminKey, benchSymbols(o.symbols), o.connections);
  const configs = await senderConfigs(o, secret);
  const runMs = (o.warmupSeconds + o.durationSeconds + o.drainSeconds) * MS_PER_SECOND + START_DELAY_MS + SENDER_TIMEOUT_MS;
  const { results, measuredFromEpochMs } = await runSenders(configs, runMs);
  const report = buildReport(o, mergeResults(results), measuredFromEpochMs, loadStart);
  writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

try {
  const report = await main();
  for (const line of reportLines(report)) console.log(line);
  console.log(summaryLine(report));
} catch (error) {
  console.error(error instanceof UsageError ? `loadgen: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
}
