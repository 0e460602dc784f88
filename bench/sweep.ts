// `npm run bench:sweep [-- --repeats 3 --duration 10 --warmup 2 --rates 500,2000,... --long-duration 60]`:
// the latency benchmark end to end. Starts a fresh server per durability mode (fsync, none) and the
// bare echo server, probes fdatasync on the data directories' filesystem, then at each offered rate
// runs the load generator against echo, fsync and none (interleaved, in rotating order, repeated),
// going on upward past the last rate while a mode keeps p99 <= 10 ms without errors; then the long
// run at 500/s with fsync (and echo beside it). Writes bench/latency.svg, bench/latency-sweep.json
// and the `## Latency over WebSocket` section of bench/RESULTS.md. With the defaults it took 19 to 21
// minutes on the 2-core machine: each step ends at most 5 s (late sends) + 10 s (drain) after its
// schedule, and a server that has not drained 20 s later is replaced. Every server, child process and
// temp dir is gone when it ends, however it ends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN_API_KEY, JWT_SECRET, type RunningServer } from '../test/server/server-process.ts';
import { probeFdatasync } from './fsync-probe.ts';
import { loadAverage1m, machine, type LoadReport } from './loadgen-report.ts';
import { ServerSampler, type ServerStepMetrics } from './server-metrics.ts';
import { killAll, RATE_LIMITS_RAISED_ARGS, runLoadgen, startEchoServer, type EchoServer } from './sweep-processes.ts';
import { replaceSection, sectionOf } from './sweep-report.ts';
import { ServerSlot } from './sweep-servers.ts';
import { holds, rowsOf, TARGETS, type StepResult, type Target } from './sweep-summary.ts';
import { chartSvg, sweepLines } from './sweep-svg.ts';

const BENCH_DIR = new URL('.', import.meta.url).pathname;
const RATES_DEFAULT = '500,2000,5000,10000,20000,50000,100000';
/** Past the fixed rates, each step adds this much, up to the ceiling. */
const UPWARD_STEP_HZ = 50_000;
const UPWARD_RATE_HZ_MAX = 1_000_000;

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: RATES_DEFAULT }, repeats: { type: 'string', default: '3' }, duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' }, drain: { type: 'string', default: '10' }, 'long-rate': { type: 'string', default: '500' },
    'long-duration': { type: 'string', default: '60' }, 'probe-seconds': { type: 'string', default: '10' }, connections: { type: 'string', default: '32' },
    encoding: { type: 'string', default: 'msgpack' },
  },
});
function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`sweep: --${flag} must be a positive number, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return value;
}
const options = {
  ratesHz: values.rates.split(',').map((rate) => positive('rates', rate)), repeats: positive('repeats', values.repeats), durationSeconds: positive('duration', values.duration),
  warmupSeconds: positive('warmup', values.warmup), drainSeconds: positive('drain', values.drain), longRateHz: positive('long-rate', values['long-rate']),
  longDurationSeconds: positive('long-duration', values['long-duration']), probeSeconds: positive('probe-seconds', values['probe-seconds']),
  connections: positive('connections', values.connections), encoding: values.encoding,
};

interface Targets {
  readonly echo: EchoServer;
  readonly fsync: ServerSlot;
  readonly none: ServerSlot;
}

const loadAverages: number[] = [];
let stepFile = 0;

async function step(targets: Targets, target: Target, rateHz: number, repeat: number, workDir: string, durationSeconds: number): Promise<StepResult> {
  loadAverages.push(loadAverage1m());
  const slot = target === 'echo' ? undefined : targets[target];
  const run = async (server: RunningServer | undefined) => runLoadgen({
    wsUrl: server?.wsUrl ?? targets.echo.wsUrl, rateHz, durationSeconds, warmupSeconds: options.warmupSeconds, drainSeconds: options.drainSeconds,
    connections: options.connections, encoding: options.encoding, durability: server === undefined ? undefined : target, adminKey: ADMIN_API_KEY, jwtSecret: JWT_SECRET,
    outFile: join(workDir, `step-${stepFile++}.json`),
  });
  const sampler = slot === undefined ? undefined : await ServerSampler.start(slot.server.httpUrl);
  let report: LoadReport;
  try {
    report = await run(slot?.server);
  } catch (error) {
    // Once, on a fresh server: a run that cannot even set up is the server's state, not the rate's.
    if (slot === undefined) throw error;
    console.error(`${target} ${rateHz}/s: ${(error as Error).message.split('\n')[0] ?? ''}; retrying on a fresh server`);
    await slot.replace();
    report = await run(slot.server);
  }
  // A server that died during the step cannot answer the last scrape: its figures are lost with it.
  const metrics: ServerStepMetrics | undefined = await sampler?.stop().catch(() => undefined);
  const failure = await slot?.settle();
  console.log(`${target.padEnd(5)} ${String(rateHz).padStart(7)}/s #${repeat}: achieved ${report.rate_achieved}/s p50 ${report.p50_us} p99 ${report.p99_us} p99.9 ${report.p999_us} max ${report.max_us} us, errors ${report.errors}` +
    (metrics === undefined ? '' : `; server CPU ${metrics.cpuPercent}% RSS ${metrics.rssMiBMax} MiB`) + (failure === undefined ? '' : `; THE SERVER WAS REPLACED: ${failure}`));
  return { target, rateHz, repeat, report, server: metrics, ...(failure === undefined ? {} : { serverFailure: failure }) };
}

/** Every target still in the sweep at `rateHz`, in an order that rotates with the repeat. */
async function rateStep(targets: Targets, rateHz: number, active: readonly Target[], steps: StepResult[], workDir: string): Promise<void> {
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const order = TARGETS.map((_, i) => TARGETS[(i + repeat) % TARGETS.length] as Target).filter((t) => active.includes(t));
    for (const target of order) steps.push(await step(targets, target, rateHz, repeat, workDir, options.durationSeconds));
  }
}

async function sweep(targets: Targets, workDir: string): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  for (const rateHz of options.ratesHz) await rateStep(targets, rateHz, TARGETS, steps, workDir);
  let rateHz = Math.max(...options.ratesHz) + UPWARD_STEP_HZ;
  for (; rateHz <= UPWARD_RATE_HZ_MAX; rateHz += UPWARD_STEP_HZ) {
    const still = (['fsync', 'none'] as const).filter((t) => holds(rowsOf(steps, t).at(-1)));
    if (still.length === 0) break;
    await rateStep(targets, rateHz, ['echo', ...still], steps, workDir);
  }
  return steps;
}

/** "DEVICE (TYPE)" of the filesystem holding `dir`, from df. */
function filesystemOf(dir: string): string {
  const [source, type] = execFileSync('df', ['--output=source,fstype', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
  return `${source ?? 'unknown'} (${type ?? 'unknown'})`;
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'exchange-sweep-'));
  const probeDir = mkdtempSync(join(tmpdir(), 'exchange-fsync-probe-'));
  const started: { echo?: EchoServer; fsync?: ServerSlot; none?: ServerSlot } = {};
  const stopAll = async (): Promise<void> => {
    await started.fsync?.stop();
    await started.none?.stop();
    await started.echo?.stop();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(probeDir, { recursive: true, force: true });
  };
  const abort = (signal: string): void => {
    console.error(`sweep: ${signal}, stopping everything it started`);
    killAll();
    started.fsync?.kill();
    started.none?.kill();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(probeDir, { recursive: true, force: true });
    process.exit(1);
  };
  process.once('SIGINT', () => abort('SIGINT'));
  process.once('SIGTERM', () => abort('SIGTERM'));
  try {
    started.echo = await startEchoServer();
    started.fsync = await ServerSlot.start(['--durability', 'fsync', ...RATE_LIMITS_RAISED_ARGS]);
    started.none = await ServerSlot.start(['--durability', 'none', ...RATE_LIMITS_RAISED_ARGS]);
    const targets: Targets = { echo: started.echo, fsync: started.fsync, none: started.none };
    console.log(`# sweep: fdatasync probe for ${options.probeSeconds} s in ${probeDir}`);
    const probe = probeFdatasync(probeDir, options.probeSeconds);
    console.log(`fdatasync p50 ${probe.p50_us} p99 ${probe.p99_us} p99.9 ${probe.p999_us} max ${probe.max_us} us (${probe.syncs} syncs)`);
    const steps = await sweep(targets, workDir);
    const longFsync = await step(targets, 'fsync', options.longRateHz, 0, workDir, options.longDurationSeconds);
    const longEcho = await step(targets, 'echo', options.longRateHz, 0, workDir, options.longDurationSeconds);
    const fsync = rowsOf(steps, 'fsync');
    const none = rowsOf(steps, 'none');
    const echo = rowsOf(steps, 'echo');
    const totalMinutes = Math.round((Date.now() - startedMs) / 6_000) / 10;
    const facts = {
      command: ['npm run bench:sweep', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '), startedAt: new Date(startedMs).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      totalMinutes, machine: machine(), filesystem: filesystemOf(probeDir), loadAverages, repeats: options.repeats, durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds, drainSeconds: options.drainSeconds, connections: options.connections, encoding: options.encoding, serverArgs: `npm start -- --durability fsync|none ${RATE_LIMITS_RAISED_ARGS.join(' ')}`,
      probe, fsync, none, echo, longFsync, longEcho, crashes: [...steps, longFsync].filter((s) => s.serverFailure !== undefined),
    };
    writeFileSync(join(BENCH_DIR, 'latency-sweep.json'), `${JSON.stringify({ ...facts, steps }, null, 2)}\n`);
    writeFileSync(join(BENCH_DIR, 'latency.svg'), chartSvg(`Acknowledgement latency over WebSocket, ${facts.machine.cpus}-core machine, load generator included`, sweepLines(fsync, none, echo, probe.p99_us), [...new Set(echo.map((r) => r.rateHz))]));
    const resultsPath = join(BENCH_DIR, 'RESULTS.md');
    writeFileSync(resultsPath, replaceSection(readFileSync(resultsPath, 'utf8'), (analysis) => sectionOf(facts, analysis)));
    console.log(`# sweep done in ${totalMinutes} min: bench/RESULTS.md, bench/latency.svg, bench/latency-sweep.json`);
  } finally {
    await stopAll();
  }
}

await main();
