// Proves that `npm run bench:engine-ab` compiles the engine of a git ref and of the working tree, times both on one flow in one process, and prints its JSON line.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GENFLOW_PATH } from '../journal/command-streams.ts';

const ENGINE_AB = new URL('../../bench/engine-ab.ts', import.meta.url).pathname;
const FLOW_OPS = 2_000;
/** Two tsc builds of the engine and a handful of tiny runs; generous for a busy machine. */
const AB_TIMEOUT_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'engine-ab-smoke-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('bench:engine-ab times HEAD against the working tree and reports both', { timeout: AB_TIMEOUT_MS }, () => {
  const flowPath = join(dir, 'flow.csv');
  writeFileSync(flowPath, execFileSync(process.execPath, [GENFLOW_PATH, '--seed', '3', '--fill', '200', '--ops', String(FLOW_OPS)]));
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENGINE_AB, flowPath, '--base', 'HEAD', '--rounds', '2'], { encoding: 'utf8', timeout: AB_TIMEOUT_MS });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.filter((line) => line.startsWith('round ')).length, 2);
  const result = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
  assert.equal(result['ops'], FLOW_OPS + 200);
  assert.equal(result['base'], 'HEAD');
  for (const key of ['base_ops_per_sec', 'work_ops_per_sec', 'speedup', 'speedup_median_of_rounds']) {
    assert.ok(typeof result[key] === 'number' && (result[key] as number) > 0, `${key}: ${String(result[key])}`);
  }
});

test('bench:engine-ab refuses a missing flow or a bad round count with its usage', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENGINE_AB, '--rounds', '0'], { encoding: 'utf8', timeout: AB_TIMEOUT_MS });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /usage: npm run bench:engine-ab/);
});
