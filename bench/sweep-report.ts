// The `## Latency over WebSocket` section of bench/RESULTS.md, written from a sweep's results: how it
// was measured, the 60 s run, the sweep table, the floor comparison, the server's resources and the
// targets met or missed. A hand-written `### Analysis` subsection already in the file is kept.
import type { FsyncProbeResult } from './fsync-probe.ts';
import { LATE_SEND_MS_MAX, RATE_PER_SENDER_HZ, SENDERS_AUTO_MAX } from './loadgen-options.ts';
import type { LoadReport, Machine } from './loadgen-report.ts';
import { median } from './report.ts';
import { FAST_P99_US_MAX, SUSTAINED_P99_US_MAX, sustainedRate, type RateRow, type StepResult } from './sweep-summary.ts';

export const SECTION_HEADING = '## Latency over WebSocket';
const ANALYSIS_HEADING = '### Analysis';
/** The targets of the issue: p99 within this factor of the floor (fsync) or of the echo p99 (none). */
const FLOOR_FACTOR_MAX = 1.5;
const FLOOR_CHECK_RATES_HZ = [500, 20_000];
const NONE_CHECK_RATE_HZ_MAX = 50_000;
const SUSTAINED_TARGET_HZ = 50_000;

export interface SweepFacts {
  readonly command: string;
  readonly startedAt: string;
  readonly totalMinutes: number;
  readonly machine: Machine;
  readonly filesystem: string;
  readonly loadAverages: readonly number[];
  readonly repeats: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly drainSeconds: number;
  readonly connections: number;
  readonly encoding: string;
  readonly serverArgs: string;
  readonly probe: FsyncProbeResult;
  readonly fsync: readonly RateRow[];
  readonly none: readonly RateRow[];
  readonly echo: readonly RateRow[];
  readonly longFsync: StepResult;
  readonly longEcho: StepResult;
  /** Steps after which a server had to be replaced. */
  readonly crashes: readonly StepResult[];
}

/** The largest finite bucket of the server's latency histograms (server/metrics.ts). */
const BUCKET_MS_MAX = 1_000;
const n = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
/** Milliseconds: two decimals below 100. */
const ms = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 100 ? n(x) : String(x));
/** A histogram bucket bound in ms; a quantile past the last finite bucket is Infinity. */
const bound = (x: number): string => (x === Infinity ? `> ${n(BUCKET_MS_MAX)}` : Number.isFinite(x) ? `≤ ${ms(x)}` : '–');
const ratio = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 100 ? `${n(x)}x` : `${x.toFixed(2)}x`);
const errorsText = (row: RateRow): string => (row.errors === 0 ? '0' : `${n(row.errors)} (${Object.entries(row.errorsByCode).map(([c, k]) => `${c}: ${n(k)}`).join(', ')})`);
const byRate = (rows: readonly RateRow[], hz: number): RateRow | undefined => rows.find((r) => r.rateHz === hz);

function latencyTable(f: SweepFacts): string[] {
  const rates = [...new Set([...f.fsync, ...f.none].map((r) => r.rateHz))].sort((a, b) => a - b);
  const cells = (row: RateRow | undefined): string => (row === undefined ? '– | – | – | – | – | –' : `${n(row.achievedHz)} | ${n(row.p50Us)} | ${n(row.p99Us)} | ${n(row.p999Us)} | ${n(row.maxUs)} | ${errorsText(row)}`);
  return [
    '| offered/s | fsync achieved/s | p50 | p99 | p99.9 | max | errors | none achieved/s | p50 | p99 | p99.9 | max | errors |',
    '|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|',
    ...rates.map((hz) => `| ${n(hz)} | ${cells(byRate(f.fsync, hz))} | ${cells(byRate(f.none, hz))} |`),
  ];
}

function floorTable(f: SweepFacts): string[] {
  const fd = f.probe.p99_us;
  return [
    '| offered/s | echo p50 | echo p99 | fdatasync p99 | floor = echo p99 + fdatasync p99 | fsync p99 | fsync p99 / floor | none p99 | none p99 / echo p99 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...f.echo.map((e) => {
      const fsync = byRate(f.fsync, e.rateHz);
      const none = byRate(f.none, e.rateHz);
      const floor = e.p99Us + fd;
      return `| ${n(e.rateHz)} | ${n(e.p50Us)} | ${n(e.p99Us)} | ${n(fd)} | ${n(floor)} | ${n(fsync?.p99Us ?? NaN)} | ${ratio((fsync?.p99Us ?? NaN) / floor)} | ${n(none?.p99Us ?? NaN)} | ${ratio((none?.p99Us ?? NaN) / e.p99Us)} |`;
    }),
  ];
}

function resourceTable(f: SweepFacts): string[] {
  const rows = [...f.fsync.map((r) => ['fsync', r] as const), ...f.none.map((r) => ['none', r] as const)];
  return [
    '| mode | offered/s | server CPU % | RSS max MiB | event-loop delay p99 / max ms | pipeline ingress→ack p50 / p99 ms | journal write+fdatasync p50 / p99 ms | commands per commit | load generator CPU % | scheduler lateness p99 us |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(([mode, r]) => {
      const s = r.server;
      return s === undefined
        ? `| ${mode} | ${n(r.rateHz)} | – | – | – | – | – | – | ${n(r.loadgenCpuPercent)} | ${n(r.sendLagUsP99)} |`
        : `| ${mode} | ${n(r.rateHz)} | ${n(s.cpuPercent)} | ${n(s.rssMiBMax)} | ${ms(s.eventLoopDelayMsP99)} / ${ms(s.eventLoopDelayMsMax)} | ${bound(s.ingressToAckMsP50)} / ${bound(s.ingressToAckMsP99)} | ${mode === 'none' ? '– (no fdatasync)' : `${bound(s.fsyncMsP50)} / ${bound(s.fsyncMsP99)}`} | ${n(s.commandsPerCommit)} | ${n(r.loadgenCpuPercent)} | ${n(r.sendLagUsP99)} |`;
    }),
  ];
}

function longRunLines(f: SweepFacts): string[] {
  const row = (label: string, r: LoadReport): string =>
    `| ${label} | ${n(r.rate_achieved)} | ${n(r.p50_us)} | ${n(r.p90_us)} | ${n(r.p99_us)} | ${n(r.p999_us)} | ${n(r.p9999_us)} | ${n(r.max_us)} | ${n(r.errors)} | ${n(r.acknowledged)} of ${n(r.requests)} |`;
  const fsync = f.longFsync.report;
  const floor = f.longEcho.report.p99_us + f.probe.p99_us;
  return [
    `### ${n(fsync.rate_offered)} orders/s for ${fsync.setup.duration_s} s with fsync durability`,
    '',
    '| target | achieved/s | p50 us | p90 us | p99 us | p99.9 us | p99.99 us | max us | errors | acknowledged |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    row('exchange, fsync', fsync),
    row('bare echo, same run', f.longEcho.report),
    '',
    `p99 ${n(fsync.p99_us)} us against a floor of ${n(floor)} us (echo p99 ${n(f.longEcho.report.p99_us)} + fdatasync p99 ${n(f.probe.p99_us)}): ${ratio(fsync.p99_us / floor)}; max ${n(fsync.max_us)} us. Business rejections: ${n(fsync.rejections)} ${JSON.stringify(fsync.rejections_by_reason)}.`,
  ];
}

function crashLines(f: SweepFacts): string[] {
  if (f.crashes.length === 0) return ['No server died or failed to drain during the sweep.'];
  return [
    `A server had to be replaced ${f.crashes.length} time${f.crashes.length === 1 ? '' : 's'} (a fresh one served the steps that followed; a step counts every request it lost as an error):`,
    ...f.crashes.map((c) => `- ${c.target} at ${n(c.rateHz)}/s, repeat ${c.repeat + 1}: ${c.serverFailure ?? ''}`),
  ];
}

function verdict(met: boolean): string {
  return met ? '**met**' : '**missed**';
}

function targetLines(f: SweepFacts): string[] {
  const lines: string[] = [];
  for (const hz of FLOOR_CHECK_RATES_HZ) {
    const fsync = byRate(f.fsync, hz);
    const echo = byRate(f.echo, hz);
    if (fsync === undefined || echo === undefined) continue;
    const floor = echo.p99Us + f.probe.p99_us;
    lines.push(`- fsync p99 within ${FLOOR_FACTOR_MAX}x of the floor at ${n(hz)}/s: ${n(fsync.p99Us)} us against ${n(floor)} us (${ratio(fsync.p99Us / floor)}): ${verdict(fsync.p99Us <= FLOOR_FACTOR_MAX * floor && fsync.errors === 0)}.`);
  }
  const sustained = sustainedRate(f.fsync, SUSTAINED_P99_US_MAX);
  lines.push(`- Highest rate sustained with fsync, p99 < ${n(SUSTAINED_P99_US_MAX)} us and no errors (at it and every lower rate): ${n(sustained)}/s against ${n(SUSTAINED_TARGET_HZ)}/s: ${verdict(sustained >= SUSTAINED_TARGET_HZ)}. With durability none: ${n(sustainedRate(f.none, SUSTAINED_P99_US_MAX))}/s.`);
  lines.push(`- Highest rate with p99 < ${n(FAST_P99_US_MAX)} us and no errors: fsync ${n(sustainedRate(f.fsync, FAST_P99_US_MAX))}/s, none ${n(sustainedRate(f.none, FAST_P99_US_MAX))}/s, bare echo ${n(sustainedRate(f.echo, FAST_P99_US_MAX))}/s.`);
  const noneChecks = f.none.filter((r) => r.rateHz <= NONE_CHECK_RATE_HZ_MAX).map((r) => {
    const echo = byRate(f.echo, r.rateHz);
    return { hz: r.rateHz, factor: echo === undefined ? NaN : r.p99Us / echo.p99Us };
  });
  const failing = noneChecks.filter((c) => !(c.factor <= FLOOR_FACTOR_MAX));
  lines.push(`- none p99 within ${FLOOR_FACTOR_MAX}x of the echo p99 at every rate up to ${n(NONE_CHECK_RATE_HZ_MAX)}/s: ${noneChecks.map((c) => `${n(c.hz)}/s ${ratio(c.factor)}`).join(', ')}: ${verdict(failing.length === 0)}.`);
  return lines;
}

export function sectionOf(f: SweepFacts, analysis: string | undefined): string {
  const m = f.machine;
  const loads = f.loadAverages;
  const p = f.probe;
  return [
    SECTION_HEADING,
    `Command: \`${f.command}\`, run ${f.startedAt}, ${f.totalMinutes} min in all. Machine: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, node ${m.node}; data directories on ${f.filesystem}. ` +
      `1-minute load average at the steps' starts: median ${median(loads).toFixed(2)} (${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}): other engineers' test suites shared the 2 cores, so tails are noisy.`,
    '',
    `What is measured: an open-loop load generator (\`npm run loadgen\`) sends at a fixed rate from ${f.connections} WebSocket connections (one account each, ${f.encoding}) a mix of ` +
      'new limit orders resting 1-10 ticks from the mid (50%), marketable IOC orders (15%), cancels (25%) and replaces (10%) over 8 symbols; each request is timed from its ' +
      '*intended* send time to its acknowledgement (the first frame carrying its requestId) into an HdrHistogram, so a stall of either side is charged to every request it delays. ' +
      `The connections are spread over sender processes (forked; one per ${n(RATE_PER_SENDER_HZ)}/s offered, at most ${SENDERS_AUTO_MAX}), each sleeping to the next due time on a helper thread (Atomics.wait honours fractional milliseconds; timers do not); ` +
      `a request the generator could not send within ${LATE_SEND_MS_MAX / 1_000} s of the schedule's end, or that still had no answer ${f.drainSeconds} s after the last send, counts as an error and enters the histogram with the time it had waited. ` +
      `Each step runs ${f.warmupSeconds} s of warm-up (excluded) and ${f.durationSeconds} s measured; the load generator, the servers and the echo server share the same 2 cores. ` +
      `Servers are started fresh, one per durability mode (\`${f.serverArgs}\`; the per-address rate limits are raised because all simulated clients share 127.0.0.1). ` +
      `Each figure is the median of ${f.repeats} repeat${f.repeats === 1 ? '' : 's'}, run interleaved (echo, fsync, none at each rate, in rotating order); errors are summed over the repeats.`,
    '',
    ...longRunLines(f),
    '',
    '### Sweep: latency (us) by offered rate',
    '',
    ...latencyTable(f),
    '',
    '![p50, p99 and p99.9 against offered rate](latency.svg)',
    '',
    '### The physical floor, measured in the same run',
    `fdatasync probe (\`bench/fsync-probe.ts\`): ${n(p.syncs)} back-to-back 256-byte appends, each followed by fdatasync, in ${p.seconds} s on the data directories' filesystem: ` +
      `p50 ${n(p.p50_us)} us, p90 ${n(p.p90_us)} us, p99 ${n(p.p99_us)} us, p99.9 ${n(p.p999_us)} us, max ${n(p.max_us)} us. The echo columns are the bare uWebSockets.js echo server (\`bench/echo-server.ts\`) driven by the same load generator with the same requests.`,
    '',
    ...floorTable(f),
    '',
    '### Server resources during the sweep',
    'From the server\'s /metrics, scraped every second of each step (median over repeats): CPU of the whole process (main thread and both workers) in % of one core; resident memory; ' +
      'event-loop delay beyond prom-client\'s 10 ms sampling interval (worst 1 s window); and, as histogram bucket bounds, the pipeline\'s own ingress-to-acknowledgement time (from the command entering the ring to its first event being released) and the journal\'s write + fdatasync time.',
    '',
    ...resourceTable(f),
    '',
    '### Server failures',
    ...crashLines(f),
    '',
    '### Targets',
    ...targetLines(f),
    ...(analysis === undefined ? [] : ['', analysis.trimEnd()]),
    '',
  ].join('\n');
}

/** The file with the section replaced (or appended); returns also the analysis subsection it held. */
export function replaceSection(file: string, section: (analysis: string | undefined) => string): string {
  const start = file.indexOf(`\n${SECTION_HEADING}\n`);
  if (start < 0) return `${file.trimEnd()}\n\n${section(undefined)}`;
  const next = file.indexOf('\n## ', start + 1);
  const end = next < 0 ? file.length : next + 1;
  const old = file.slice(start + 1, end);
  const at = old.indexOf(`\n${ANALYSIS_HEADING}`);
  const analysis = at < 0 ? undefined : old.slice(at + 1);
  return `${file.slice(0, start + 1)}${section(analysis)}${next < 0 ? '' : '\n'}${file.slice(end)}`;
}
