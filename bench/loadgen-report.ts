// What a load run reports: the setup it ran in, the rates, errors and business rejections by code,
// and the latency percentiles in microseconds. The same object is printed (its summary is the last
// line) and written to --out.
import { cpus, loadavg, release, totalmem } from 'node:os';
import type { LoadgenOptions } from './loadgen-options.ts';
import { mixText } from './loadgen-mix.ts';
import type { MergedResult } from './loadgen-stats.ts';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
}

export function machine(): Machine {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version };
}

export function loadAverage1m(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export interface LoadReport {
  readonly setup: {
    readonly machine: Machine;
    readonly target: 'exchange' | 'echo';
    readonly url: string;
    readonly durability: string;
    readonly encoding: string;
    readonly connections: number;
    readonly senders: number;
    readonly symbols: number;
    readonly mix: string;
    readonly seed: number;
    readonly duration_s: number;
    readonly warmup_s: number;
    readonly load_average_1m_start: number;
    readonly load_average_1m_end: number;
  };
  readonly rate_offered: number;
  readonly rate_sent: number;
  readonly rate_achieved: number;
  readonly requests: number;
  readonly acknowledged: number;
  readonly requests_total: number;
  readonly acknowledged_total: number;
  readonly errors: number;
  readonly errors_by_code: Record<string, number>;
  readonly rejections: number;
  readonly rejections_by_reason: Record<string, number>;
  readonly requests_by_kind: Record<string, number>;
  readonly p50_us: number;
  readonly p90_us: number;
  readonly p99_us: number;
  readonly p999_us: number;
  readonly p9999_us: number;
  readonly max_us: number;
  readonly mean_us: number;
  readonly send_lag_p99_us: number;
  readonly send_lag_max_us: number;
  readonly messages_received: number;
  readonly loadgen_cpu_percent: number;
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export function buildReport(o: LoadgenOptions, merged: MergedResult, measuredFromEpochMs: number, loadStart: number): LoadReport {
  const h = merged.latency;
  const measuredSeconds = o.durationSeconds;
  // Acknowledged measured requests over the time from the window's start to the last of their answers:
  // a server that falls behind answers later, and its achieved rate falls below the offered one.
  const answeredSeconds = Math.max(measuredSeconds, (merged.lastMeasuredAckEpochMs - measuredFromEpochMs) / 1_000);
  const wallSeconds = o.warmupSeconds + o.durationSeconds;
  return {
    setup: {
      machine: machine(), target: o.echo ? 'echo' : 'exchange', url: o.url, durability: o.echo ? 'n/a (echo)' : o.durability, encoding: o.encoding,
      connections: o.connections, senders: o.senders, symbols: o.symbols, mix: mixText(o.mix), seed: o.seed, duration_s: o.durationSeconds, warmup_s: o.warmupSeconds,
      load_average_1m_start: loadStart, load_average_1m_end: loadAverage1m(),
    },
    rate_offered: o.rateHz,
    rate_sent: Math.round(merged.sentMeasured / measuredSeconds),
    rate_achieved: Math.round(merged.acknowledgedMeasured / answeredSeconds),
    requests: merged.sentMeasured,
    acknowledged: merged.acknowledgedMeasured,
    requests_total: merged.sent,
    acknowledged_total: merged.acknowledged,
    errors: sum(merged.errorsByCode),
    errors_by_code: merged.errorsByCode,
    rejections: sum(merged.rejectionsByReason),
    rejections_by_reason: merged.rejectionsByReason,
    requests_by_kind: merged.requestsByKind,
    p50_us: h.getValueAtPercentile(50),
    p90_us: h.getValueAtPercentile(90),
    p99_us: h.getValueAtPercentile(99),
    p999_us: h.getValueAtPercentile(99.9),
    p9999_us: h.getValueAtPercentile(99.99),
    max_us: h.maxValue,
    mean_us: Math.round(h.mean),
    send_lag_p99_us: merged.sendLag.getValueAtPercentile(99),
    send_lag_max_us: merged.sendLag.maxValue,
    messages_received: merged.messagesReceived,
    loadgen_cpu_percent: Math.round(merged.cpuUs / 1e4 / wallSeconds),
  };
}

const n = (x: number): string => x.toLocaleString('en-US');

export function reportLines(r: LoadReport): string[] {
  const s = r.setup;
  const m = s.machine;
  return [
    `# loadgen | target ${s.target} ${s.url} | durability ${s.durability} | ${s.encoding} | ${s.connections} connections, ${s.senders} sender process${s.senders === 1 ? '' : 'es'} | ${s.symbols} symbols | mix ${s.mix}`,
    `# ${m.cpus} x ${m.cpuModel} | ${m.memoryGiB} GiB | linux ${m.kernel} | node ${m.node} | load average ${s.load_average_1m_start} -> ${s.load_average_1m_end}`,
    `offered ${n(r.rate_offered)}/s for ${s.duration_s} s after ${s.warmup_s} s warm-up: sent ${n(r.rate_sent)}/s, achieved ${n(r.rate_achieved)}/s; ${n(r.acknowledged)} of ${n(r.requests)} measured requests acknowledged`,
    `latency from intended send to acknowledgement (us): p50 ${n(r.p50_us)}  p90 ${n(r.p90_us)}  p99 ${n(r.p99_us)}  p99.9 ${n(r.p999_us)}  p99.99 ${n(r.p9999_us)}  max ${n(r.max_us)}  mean ${n(r.mean_us)}`,
    `errors ${n(r.errors)} ${JSON.stringify(r.errors_by_code)}; business rejections ${n(r.rejections)} ${JSON.stringify(r.rejections_by_reason)}; requests ${JSON.stringify(r.requests_by_kind)}`,
    `scheduler lateness p99 ${n(r.send_lag_p99_us)} us, max ${n(r.send_lag_max_us)} us; load generator CPU ${r.loadgen_cpu_percent}% of one core; ${n(r.messages_received)} frames received`,
  ];
}

/** The last line: the headline figures as one JSON object. */
export function summaryLine(r: LoadReport): string {
  const { setup, errors_by_code, rejections_by_reason, requests_by_kind, ...figures } = r;
  return JSON.stringify({ ...figures, errors_by_code, target: setup.target, durability: setup.durability, encoding: setup.encoding, connections: setup.connections, senders: setup.senders });
}
