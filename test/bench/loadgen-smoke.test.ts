// Proves that `npm run loadgen` sets up a fresh server through the admin API and drives it open-loop without errors, every request acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_API_KEY, JWT_SECRET, removeDir, startServer, type RunningServer } from '../server/server-process.ts';

const LOADGEN = new URL('../../bench/loadgen.ts', import.meta.url).pathname;
const RATE_HZ = 200;
const DURATION_SECONDS = 3;
const WARMUP_SECONDS = 0.5;
const CONNECTIONS = 4;
/** Generous: the run itself takes about 4 s; the rest is process start-up on a busy machine. */
const LOADGEN_TIMEOUT_MS = 30_000;

let server: RunningServer;
let outDir: string;

before(async () => {
  server = await startServer();
  outDir = mkdtempSync(join(tmpdir(), 'loadgen-smoke-'));
});

after(async () => {
  await server.stop();
  removeDir(server.dataDir);
  rmSync(outDir, { recursive: true, force: true });
});

function runLoadgen(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOADGEN, ...args], { env: { ...process.env, JWT_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), LOADGEN_TIMEOUT_MS);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

test('a short low-rate run against a fresh server: zero errors, every request acknowledged', { timeout: LOADGEN_TIMEOUT_MS + 5_000 }, async () => {
  const out = join(outDir, 'smoke.json');
  const run = await runLoadgen([
    '--url', server.wsUrl, '--rate', String(RATE_HZ), '--duration', String(DURATION_SECONDS), '--warmup', String(WARMUP_SECONDS),
    '--connections', String(CONNECTIONS), '--admin-key', ADMIN_API_KEY, '--durability', 'fsync', '--out', out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
  for (const key of ['rate_achieved', 'errors', 'p50_us', 'p99_us', 'p999_us', 'max_us']) assert.equal(typeof summary[key], 'number', `the last line has ${key}`);
  assert.equal(summary['errors'], 0, `errors by code: ${JSON.stringify(summary['errors_by_code'])}`);
  const expected = Math.round(RATE_HZ * (DURATION_SECONDS + WARMUP_SECONDS));
  assert.equal(summary['requests_total'], expected, 'the schedule sent every request it planned');
  assert.equal(summary['acknowledged_total'], expected, 'every request was acknowledged');
  assert.equal(summary['acknowledged'], summary['requests'], 'every measured request was acknowledged');
  const written = JSON.parse(readFileSync(out, 'utf8')) as { setup: { durability: string; connections: number }; requests_by_kind: Record<string, number> };
  assert.deepEqual([written.setup.durability, written.setup.connections], ['fsync', CONNECTIONS], '--out holds the setup');
  for (const kind of ['limit', 'marketable', 'cancel', 'replace']) assert.ok((written.requests_by_kind[kind] ?? 0) > 0, `the mix sent ${kind} requests`);
});
