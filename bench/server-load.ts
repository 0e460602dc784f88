// `npm run bench:server-load -- [--rate R] [--duration S] [--runs N]`: a fresh server (fsync
// durability, data in a temp dir) under the load generator at R orders/s for S seconds after a 2 s
// warm-up, N times. Per run: the acknowledgement p50/p99 and the server process's CPU time (every
// thread; user and system from /proc, the load generator's setup of accounts included). Short
// enough to alternate two checkouts run after run, which is how a change to the server is judged
// on a machine whose speed swings (bench/RESULTS.md, "Latency over WebSocket").
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN_API_KEY, JWT_SECRET, removeDir, startServer } from '../test/server/server-process.ts';
import { CONNECTIONS_DEFAULT, DRAIN_SECONDS_DEFAULT, WARMUP_SECONDS_DEFAULT } from './loadgen-options.ts';
import { setupLine } from './report.ts';
import { RATE_LIMITS_RAISED_ARGS, runLoadgen } from './sweep-processes.ts';

/** /proc/PID/stat counts CPU time in clock ticks of 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

/** User and system CPU seconds of process `pid` so far. */
function cpuSeconds(pid: number): { user: number; system: number } {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

async function run(rateHz: number, durationSeconds: number): Promise<Record<string, number>> {
  const server = await startServer({ args: [...RATE_LIMITS_RAISED_ARGS] });
  const dir = mkdtempSync(join(tmpdir(), 'server-load-'));
  try {
    const pid = server.child.pid as number;
    const before = cpuSeconds(pid);
    const report = await runLoadgen({
      wsUrl: server.wsUrl, rateHz, durationSeconds, warmupSeconds: WARMUP_SECONDS_DEFAULT, drainSeconds: DRAIN_SECONDS_DEFAULT,
      connections: CONNECTIONS_DEFAULT, encoding: 'msgpack', durability: 'fsync', adminKey: ADMIN_API_KEY, jwtSecret: JWT_SECRET, outFile: join(dir, 'load.json'),
    });
    const after = cpuSeconds(pid);
    return {
      rate_achieved: report.rate_achieved, errors: report.errors, p50_us: report.p50_us, p99_us: report.p99_us,
      server_user_s: Number((after.user - before.user).toFixed(2)), server_system_s: Number((after.system - before.system).toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
    removeDir(server.dataDir);
  }
}

const { values } = parseArgs({ options: { rate: { type: 'string', default: '10000' }, duration: { type: 'string', default: '10' }, runs: { type: 'string', default: '1' } } });
const rateHz = Number(values.rate);
const durationSeconds = Number(values.duration);
const runs = Number(values.runs);
if (![rateHz, durationSeconds, runs].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('usage: npm run bench:server-load -- [--rate R] [--duration S] [--runs N] (positive integers)');
  process.exit(2);
}
console.log(setupLine(`server under ${rateHz} orders/s for ${durationSeconds} s, ${runs} run(s)`));
for (let index = 0; index < runs; index++) console.log(JSON.stringify({ run: index + 1, rate_offered: rateHz, ...(await run(rateHz, durationSeconds)) }));
