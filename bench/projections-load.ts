// Projection lag under sustained load: the real server with PG_URL and REDIS_URL, driven open-loop
// by the team's load generator (bench/loadgen.ts) at a fixed rate, /readyz sampled every
// LAG_SAMPLE_INTERVAL_MS for each store's lag (events in the log not yet in the store), then the
// time until both stores caught up once the load stopped. The same load without projections runs
// beside it, so the projector's cost to matching on this machine shows (it shares the cores).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL, freshRedisPrefix, freshSchema } from '../test/projections/services.ts';
import { ADMIN_API_KEY, JWT_SECRET, getJson, removeDir, startServer } from '../test/server/server-process.ts';
import { RATE_LIMITS_RAISED_ARGS } from './sweep-processes.ts';

const LAG_SAMPLE_INTERVAL_MS = 250;
const CATCH_UP_TIMEOUT_MS = 120_000;
const LOADGEN = new URL('./loadgen.ts', import.meta.url).pathname;

export interface LoadOptions {
  readonly rateHz: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

interface LoadSummary {
  readonly rate_achieved: number;
  readonly p50_us: number;
  readonly p99_us: number;
  readonly errors: number;
}

export interface LagFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadResult {
  readonly withProjections: LoadSummary;
  readonly withoutProjections: LoadSummary;
  readonly lagEvents: { readonly postgres: LagFigures; readonly redis: LagFigures };
  readonly events: number;
  readonly fills: number;
  readonly catchUpSeconds: number;
}

function quantiles(values: number[]): LagFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** Runs the load generator against `wsUrl` until it exits; `during` is called every LAG_SAMPLE_INTERVAL_MS meanwhile. */
async function drive(wsUrl: string, o: LoadOptions, during: () => Promise<void>): Promise<LoadSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'projections-load-'));
  try {
    const out = join(dir, 'load.json');
    const child = spawn(process.execPath, ['--import', 'tsx', LOADGEN, '--url', wsUrl, '--rate', String(o.rateHz), '--duration', String(o.durationSeconds),
      '--warmup', String(o.warmupSeconds), '--admin-key', ADMIN_API_KEY, '--out', out], { env: { ...process.env, JWT_SECRET }, stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let running = true;
    void exited.then(() => {
      running = false;
    });
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, LAG_SAMPLE_INTERVAL_MS));
      if (running) await during();
    }
    if ((await exited) !== 0) throw new Error('the load generator failed');
    const report = JSON.parse(readFileSync(out, 'utf8')) as LoadSummary;
    return { rate_achieved: report.rate_achieved, p50_us: report.p50_us, p99_us: report.p99_us, errors: report.errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Store = { readonly lagEvents: number; readonly eventIndexStored: number; readonly state: string };

export async function measureLoad(o: LoadOptions, log: (line: string) => void): Promise<LoadResult> {
  const bare = await startServer({ args: [...RATE_LIMITS_RAISED_ARGS] });
  let withoutProjections: LoadSummary;
  try {
    withoutProjections = await drive(bare.wsUrl, o, async () => undefined);
  } finally {
    await bare.stop();
    removeDir(bare.dataDir);
  }
  log(`without projections: ${JSON.stringify(withoutProjections)}`);
  const schema = await freshSchema();
  const keys = await freshRedisPrefix();
  const server = await startServer({ args: [...RATE_LIMITS_RAISED_ARGS], env: { PG_URL: schema.url, REDIS_URL, REDIS_KEY_PREFIX: keys.prefix } });
  try {
    const lags = { postgres: [] as number[], redis: [] as number[] };
    const stores = async () => (await getJson(server, '/readyz')).body['projections'] as { postgres?: Store; redis?: Store } | undefined;
    const withProjections = await drive(server.wsUrl, o, async () => {
      const s = await stores();
      if (s?.postgres !== undefined) lags.postgres.push(s.postgres.lagEvents);
      if (s?.redis !== undefined) lags.redis.push(s.redis.lagEvents);
    });
    log(`with projections: ${JSON.stringify(withProjections)}`);
    const stoppedMs = performance.now();
    let last = await stores();
    while (!(last?.postgres?.lagEvents === 0 && last.redis?.lagEvents === 0 && last.postgres.state === 'live' && last.redis.state === 'live')) {
      if (performance.now() - stoppedMs > CATCH_UP_TIMEOUT_MS) throw new Error(`the projections did not catch up: ${JSON.stringify(last)}`);
      await new Promise((resolve) => setTimeout(resolve, LAG_SAMPLE_INTERVAL_MS / 5));
      last = await stores();
    }
    const catchUpSeconds = (performance.now() - stoppedMs) / 1_000;
    const fills = Number((await schema.admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema.name}.fills`)).rows[0]?.n);
    return {
      withProjections, withoutProjections, lagEvents: { postgres: quantiles(lags.postgres), redis: quantiles(lags.redis) },
      events: last.postgres.eventIndexStored, fills, catchUpSeconds,
    };
  } finally {
    await server.stop();
    removeDir(server.dataDir);
    await schema.drop();
    await keys.drop();
  }
}
