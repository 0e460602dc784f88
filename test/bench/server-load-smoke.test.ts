// Proves that `npm run bench:server-load` starts a fresh server, drives it with the load generator without errors, and reports latency and the server's CPU time per run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const SERVER_LOAD = new URL('../../bench/server-load.ts', import.meta.url).pathname;
/** Server start, account setup and a 1 s load at a low rate; generous for a busy machine. */
const RUN_TIMEOUT_MS = 120_000;

test('bench:server-load runs the load generator against a fresh server and reports each run', { timeout: RUN_TIMEOUT_MS }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SERVER_LOAD, '--rate', '200', '--duration', '1', '--runs', '1'], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Record<string, number>;
  assert.equal(result['run'], 1);
  assert.equal(result['errors'], 0);
  assert.ok((result['rate_achieved'] ?? 0) > 0, JSON.stringify(result));
  for (const key of ['p50_us', 'p99_us', 'server_user_s', 'server_system_s']) assert.ok(Number.isFinite(result[key]) && (result[key] as number) >= 0, `${key}: ${String(result[key])}`);
});

test('bench:server-load refuses a rate that is not a positive integer, with its usage', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SERVER_LOAD, '--rate', 'fast'], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /usage: npm run bench:server-load/);
});
