// Reduces a sweep's steps to one row per target and rate: the median of each figure over the
// repeats (errors and rejections are summed, so that one bad repeat still shows), and the judgements
// the report makes from them.
import type { LoadReport } from './loadgen-report.ts';
import { median } from './report.ts';
import type { ServerStepMetrics } from './server-metrics.ts';

export const TARGETS = ['echo', 'fsync', 'none'] as const;
export type Target = (typeof TARGETS)[number];
/** "Sustained" means a median p99 below this and no errors in any repeat. */
export const SUSTAINED_P99_US_MAX = 10_000;
/** The rate the report also states for a p99 below 1 ms. */
export const FAST_P99_US_MAX = 1_000;

export interface StepResult {
  readonly target: Target;
  readonly rateHz: number;
  readonly repeat: number;
  readonly report: LoadReport;
  readonly server: ServerStepMetrics | undefined;
  /** Set when the server had to be replaced after the step: it died (with the error it printed), or never drained. */
  readonly serverFailure?: string;
}

export interface RateRow {
  readonly rateHz: number;
  readonly repeats: number;
  readonly achievedHz: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  readonly errors: number;
  readonly errorsByCode: Record<string, number>;
  readonly rejections: number;
  readonly loadgenCpuPercent: number;
  readonly sendLagUsP99: number;
  readonly server: ServerStepMetrics | undefined;
}

/** NaN (no figure) is left out; Infinity (past a histogram's last bucket) is a figure. */
function medianOf<T>(items: readonly T[], figure: (item: T) => number): number {
  return median(items.map(figure).filter((x) => !Number.isNaN(x)));
}

function serverMedians(metrics: readonly ServerStepMetrics[]): ServerStepMetrics | undefined {
  const first = metrics[0];
  if (first === undefined) return undefined;
  const keys = Object.keys(first) as (keyof ServerStepMetrics)[];
  return Object.fromEntries(keys.map((k) => [k, medianOf(metrics, (m) => m[k])])) as unknown as ServerStepMetrics;
}

export function rowsOf(steps: readonly StepResult[], target: Target): RateRow[] {
  const rates = [...new Set(steps.filter((s) => s.target === target).map((s) => s.rateHz))].sort((a, b) => a - b);
  return rates.map((rateHz) => {
    const repeats = steps.filter((s) => s.target === target && s.rateHz === rateHz);
    const reports = repeats.map((s) => s.report);
    const errorsByCode: Record<string, number> = {};
    for (const r of reports) for (const [code, n] of Object.entries(r.errors_by_code)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
    return {
      rateHz, repeats: repeats.length,
      achievedHz: medianOf(reports, (r) => r.rate_achieved), p50Us: medianOf(reports, (r) => r.p50_us), p99Us: medianOf(reports, (r) => r.p99_us),
      p999Us: medianOf(reports, (r) => r.p999_us), maxUs: medianOf(reports, (r) => r.max_us),
      errors: reports.reduce((sum, r) => sum + r.errors, 0), errorsByCode, rejections: reports.reduce((sum, r) => sum + r.rejections, 0),
      loadgenCpuPercent: medianOf(reports, (r) => r.loadgen_cpu_percent), sendLagUsP99: medianOf(reports, (r) => r.send_lag_p99_us),
      server: serverMedians(repeats.flatMap((s) => (s.server === undefined ? [] : [s.server]))),
    };
  });
}

/** The highest rate whose median p99 is below `p99UsMax` with no errors, and every lower rate too (0: none). */
export function sustainedRate(rows: readonly RateRow[], p99UsMax: number): number {
  let best = 0;
  for (const row of rows) {
    if (row.p99Us >= p99UsMax || row.errors > 0) break;
    best = row.rateHz;
  }
  return best;
}

/** Whether a target still holds at a rate, for going on upward past the fixed rates. */
export function holds(row: RateRow | undefined): boolean {
  return row !== undefined && row.p99Us <= SUSTAINED_P99_US_MAX && row.errors === 0;
}
