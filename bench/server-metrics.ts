// The server's own view of a load step, from its /metrics (prom-client): resident memory, CPU,
// event-loop delay, and the deltas of its latency histograms over the step (ingress to
// acknowledgement inside the pipeline, the journal's write + fdatasync, commands per group commit).
// Scraped once a second while the step runs; each scrape also resets prom-client's event-loop
// delay histogram, so each sample covers the second before it.

/** Time between scrapes during a step. */
export const SCRAPE_INTERVAL_MS = 1_000;
/** prom-client samples the event loop every this many ms and reports the whole interval as the delay. */
const EVENT_LOOP_RESOLUTION_SECONDS = 0.01;

type Series = Map<string, number>;

export function parsePrometheus(text: string): Series {
  const series: Series = new Map();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

async function scrape(httpUrl: string): Promise<Series> {
  return parsePrometheus(await (await fetch(`${httpUrl}/metrics`)).text());
}

/** Smallest bucket bound holding `quantile` of the observations added between two scrapes (seconds; Infinity past the last finite bucket), or NaN. */
export function bucketQuantile(before: Series, after: Series, name: string, quantile: number): number {
  const buckets: [number, number][] = [];
  for (const [key, value] of after) {
    const match = key.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`));
    if (match === null) continue;
    buckets.push([match[1] === '+Inf' ? Infinity : Number(match[1]), value - (before.get(key) ?? 0)]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  if (total === 0) return NaN;
  const wanted = quantile * total;
  return buckets.find(([, count]) => count >= wanted)?.[0] ?? NaN;
}

const delta = (before: Series, after: Series, key: string): number => (after.get(key) ?? 0) - (before.get(key) ?? 0);

export interface ServerStepMetrics {
  readonly rssMiBMax: number;
  /** CPU of the whole process (all threads) over the step, in % of one core. */
  readonly cpuPercent: number;
  /** Worst one-second event-loop delay p99 and max, beyond prom-client's 10 ms sampling interval. */
  readonly eventLoopDelayMsP99: number;
  readonly eventLoopDelayMsMax: number;
  /** Bucket bounds (ms) of the pipeline's ingress-to-acknowledgement and journal write+fdatasync latency. */
  readonly ingressToAckMsP50: number;
  readonly ingressToAckMsP99: number;
  readonly fsyncMsP50: number;
  readonly fsyncMsP99: number;
  readonly commandsPerCommit: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Samples one server while a step runs. */
export class ServerSampler {
  private readonly samples: Series[] = [];
  private readonly startedMs = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private scraping: Promise<void> = Promise.resolve();

  private constructor(private readonly httpUrl: string, private readonly first: Series) {
    this.timer = setInterval(() => {
      this.scraping = scrape(this.httpUrl).then((s) => void this.samples.push(s), () => undefined);
    }, SCRAPE_INTERVAL_MS);
  }

  static async start(httpUrl: string): Promise<ServerSampler> {
    return new ServerSampler(httpUrl, await scrape(httpUrl));
  }

  async stop(): Promise<ServerStepMetrics> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.scraping;
    const last = await scrape(this.httpUrl);
    const wallSeconds = (performance.now() - this.startedMs) / 1_000;
    const all = [...this.samples, last];
    const worst = (key: string): number => Math.max(0, ...all.map((s) => (s.get(key) ?? 0) - EVENT_LOOP_RESOLUTION_SECONDS));
    const ms = (seconds: number): number => round2(seconds * 1_000);
    const commits = delta(this.first, last, 'exchange_journal_batch_size_count');
    return {
      rssMiBMax: Math.round(Math.max(...all.map((s) => s.get('process_resident_memory_bytes') ?? 0)) / 2 ** 20),
      cpuPercent: Math.round((delta(this.first, last, 'process_cpu_seconds_total') / wallSeconds) * 100),
      eventLoopDelayMsP99: ms(worst('nodejs_eventloop_lag_p99_seconds')),
      eventLoopDelayMsMax: ms(worst('nodejs_eventloop_lag_max_seconds')),
      ingressToAckMsP50: ms(bucketQuantile(this.first, last, 'exchange_ingress_to_ack_seconds', 0.5)),
      ingressToAckMsP99: ms(bucketQuantile(this.first, last, 'exchange_ingress_to_ack_seconds', 0.99)),
      fsyncMsP50: ms(bucketQuantile(this.first, last, 'exchange_fsync_seconds', 0.5)),
      fsyncMsP99: ms(bucketQuantile(this.first, last, 'exchange_fsync_seconds', 0.99)),
      commandsPerCommit: commits === 0 ? 0 : round2(delta(this.first, last, 'exchange_journal_batch_size_sum') / commits),
    };
  }
}
