// What one sender process measures, in a form that crosses process boundaries: HdrHistograms (as
// compressed base64) of latency and of the scheduler's own lateness, and counters. The parent adds
// the senders' results together.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Latencies are recorded in microseconds, up to this (anything longer is clamped to it). */
export const LATENCY_US_MAX = 600_000_000;
const SIGNIFICANT_DIGITS = 3;
const US_PER_MS = 1_000;

export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: LATENCY_US_MAX, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, bitBucketSize: 32, autoResize: false });
}

export function recordUs(histogram: Histogram, us: number): void {
  histogram.recordValue(Math.min(LATENCY_US_MAX, Math.max(1, Math.round(us))));
}

export type Counts = Record<string, number>;

export function countInto(counts: Counts, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

export interface SenderResult {
  /** From intended send time to acknowledgement, measured requests only (base64 HdrHistogram, us). */
  readonly latency: string;
  /** How late the scheduler sent each measured request (base64 HdrHistogram, us). */
  readonly sendLag: string;
  readonly sent: number;
  readonly sentMeasured: number;
  readonly acknowledged: number;
  readonly acknowledgedMeasured: number;
  /** Epoch ms of the last acknowledgement of a measured request (0: none). */
  readonly lastMeasuredAckEpochMs: number;
  readonly errorsByCode: Counts;
  readonly rejectionsByReason: Counts;
  readonly requestsByKind: Counts;
  readonly messagesReceived: number;
  readonly cpuUs: number;
}

export interface MergedResult extends Omit<SenderResult, 'latency' | 'sendLag'> {
  readonly latency: Histogram;
  readonly sendLag: Histogram;
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

function addCounts(into: Counts, from: Counts): void {
  for (const [key, n] of Object.entries(from)) countInto(into, key, n);
}

export function mergeResults(results: readonly SenderResult[]): MergedResult {
  const latency = newHistogram();
  const sendLag = newHistogram();
  const errorsByCode: Counts = {};
  const rejectionsByReason: Counts = {};
  const requestsByKind: Counts = {};
  let sent = 0, sentMeasured = 0, acknowledged = 0, acknowledgedMeasured = 0, lastMeasuredAckEpochMs = 0, messagesReceived = 0, cpuUs = 0;
  for (const r of results) {
    latency.add(decodeFromCompressedBase64(r.latency));
    sendLag.add(decodeFromCompressedBase64(r.sendLag));
    addCounts(errorsByCode, r.errorsByCode);
    addCounts(rejectionsByReason, r.rejectionsByReason);
    addCounts(requestsByKind, r.requestsByKind);
    sent += r.sent;
    sentMeasured += r.sentMeasured;
    acknowledged += r.acknowledged;
    acknowledgedMeasured += r.acknowledgedMeasured;
    lastMeasuredAckEpochMs = Math.max(lastMeasuredAckEpochMs, r.lastMeasuredAckEpochMs);
    messagesReceived += r.messagesReceived;
    cpuUs += r.cpuUs;
  }
  return { latency, sendLag, sent, sentMeasured, acknowledged, acknowledgedMeasured, lastMeasuredAckEpochMs, errorsByCode, rejectionsByReason, requestsByKind, messagesReceived, cpuUs };
}

/** One sender process's measurements while it runs. */
export class SenderStats {
  readonly latency = newHistogram();
  readonly sendLag = newHistogram();
  sent = 0;
  sentMeasured = 0;
  acknowledged = 0;
  acknowledgedMeasured = 0;
  lastMeasuredAckEpochMs = 0;
  messagesReceived = 0;
  readonly errorsByCode: Counts = {};
  readonly rejectionsByReason: Counts = {};
  readonly requestsByKind: Counts = {};

  /**
   * Requests the run gave up on (never sent, or never answered): errors of the run, and
   * the measured ones enter the latency histogram with the time they had waited so far, a lower bound,
   * so that a generator or server that falls behind cannot drop its worst requests from the percentiles.
   */
  gaveUp(requests: readonly { readonly dueMs: number; readonly measured: boolean }[], code: string): void {
    if (requests.length === 0) return;
    const nowMs = performance.now();
    countInto(this.errorsByCode, code, requests.length);
    for (const r of requests) if (r.measured) recordUs(this.latency, (nowMs - r.dueMs) * US_PER_MS);
  }

  result(cpuUs: number): SenderResult {
    return {
      latency: encodeHistogram(this.latency), sendLag: encodeHistogram(this.sendLag), sent: this.sent, sentMeasured: this.sentMeasured,
      acknowledged: this.acknowledged, acknowledgedMeasured: this.acknowledgedMeasured, lastMeasuredAckEpochMs: this.lastMeasuredAckEpochMs,
      errorsByCode: this.errorsByCode, rejectionsByReason: this.rejectionsByReason, requestsByKind: this.requestsByKind, messagesReceived: this.messagesReceived, cpuUs,
    };
  }
}
