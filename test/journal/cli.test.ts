// Proves the journal CLI end to end on a generated flow: ingest -> verify -> replay gives trades and book byte-identical to refrun.mjs and to the in-memory replay, with the same state hash; verify cuts a torn tail (exit 0) and names file, offset and seq for corruption (exit 1); inspect prints commands and batches; bad arguments exit 2 with the usage.

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../engine/engine.ts';
import { FLOW_ENGINE_CONFIG, compileFlow } from '../../engine/orderflow.ts';
import { COMMAND_RECORD_SIZE_BYTES } from '../../journal/core-records.ts';
import { captureSnapshot } from '../../journal/core-snapshot.ts';
import { scanJournal, type BatchLocation } from '../../journal/journal-scan.ts';
import { listSnapshots, readSnapshot, writeSnapshot } from '../../journal/snapshot-store.ts';
import { GENFLOW_PATH, REFRUN_PATH } from './command-streams.ts';
import { withTempDir } from './helpers.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function run(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

function journalCli(...args: string[]): SpawnSyncReturns<string> {
  return run(['journal/cli.ts', ...args]);
}

function lastJson(output: string): Record<string, unknown> {
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

function expectExit(result: SpawnSyncReturns<string>, status: number): void {
  assert.equal(result.status, status, `exit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

function commandBatches(dir: string): BatchLocation[] {
  const batches: BatchLocation[] = [];
  scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, truncateTail: false, onBatch: (batch) => batches.push(batch) });
  return batches;
}

test('ingest, verify and replay agree with refrun.mjs and the in-memory replay; torn tails are cut, corruption is named', async () => {
  await withTempDir((tmp) => {
    const flowPath = join(tmp, 'flow.csv');
    const flow = spawnSync(process.execPath, [GENFLOW_PATH, '--seed', '5', '--symbols', '2', '--fill', '1000', '--ops', '20000'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    writeFileSync(flowPath, flow.stdout);
    const out = (name: string): string => join(tmp, name);
    expectExit(spawnSync(process.execPath, [REFRUN_PATH, flowPath, out('ref-trades.csv'), out('ref-book.csv')], { encoding: 'utf8' }), 0);
    const memory = run(['bench/replay.ts', flowPath, '--trades', out('mem-trades.csv'), '--book', out('mem-book.csv')]);
    expectExit(memory, 0);
    const dir = out('journal');

    const ingest = journalCli('ingest', flowPath, dir, '--snapshot-every', '4000', '--batch', '500');
    expectExit(ingest, 0);
    assert.equal(journalCli('ingest', flowPath, dir).status, EXIT_FAILURE, 'ingest refuses a directory that holds a journal');
    const verify = journalCli('verify', dir);
    expectExit(verify, 0);
    const verified = lastJson(verify.stdout);
    assert.deepEqual(Object.keys(verified), ['seq_last', 'state_hash', 'truncated_bytes']);
    assert.equal(verified['seq_last'], lastJson(ingest.stdout)['seq_last']);
    assert.equal(verified['state_hash'], lastJson(memory.stdout)['state_hash'], 'same stamps (time = seq), same state as npm run replay');
    assert.equal(verified['truncated_bytes'], 0);
    assert.ok(listSnapshots(dir).snapshots.length >= 2);

    expectExit(journalCli('replay', dir, '--trades', out('trades.csv'), '--book', out('book.csv')), 0);
    for (const [name, reference] of [['trades.csv', 'ref-trades.csv'], ['book.csv', 'ref-book.csv'], ['trades.csv', 'mem-trades.csv'], ['book.csv', 'mem-book.csv']]) {
      assert.ok(readFileSync(out(name!)).equals(readFileSync(out(reference!))), `${name} differs from ${reference}`);
    }
    assert.ok(readFileSync(out('trades.csv'), 'utf8').split('\n').length > 1000, 'the flow trades');

    const batches = commandBatches(dir);
    const tornTail = Buffer.alloc(77, 0x5a);
    appendFileSync(batches.at(-1)!.path, tornTail);
    const cut = journalCli('verify', dir);
    expectExit(cut, 0);
    assert.equal(lastJson(cut.stdout)['truncated_bytes'], tornTail.length);
    assert.equal(lastJson(journalCli('verify', dir).stdout)['truncated_bytes'], 0);

    const newest = listSnapshots(dir).snapshots.at(-1)!;
    const snapshot = readSnapshot(newest);
    const original = readFileSync(newest.path);
    writeSnapshot(dir, { ...snapshot, stateHash: Buffer.from('f'.repeat(64), 'ascii') });
    const badHash = journalCli('verify', dir);
    expectExit(badHash, EXIT_FAILURE);
    assert.match(badHash.stderr, new RegExp(`${newest.path} at byte \\d+ \\(seq ${newest.seq}\\)`));
    writeFileSync(newest.path, original);

    // A snapshot true to its own hash but not to this journal: only the audit's replay can tell.
    const older = listSnapshots(dir).snapshots.at(-2)!;
    const foreign = compileFlow(spawnSync(process.execPath, [GENFLOW_PATH, '--seed', '6', '--symbols', '2', '--fill', '1000', '--ops', '20000'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).stdout);
    const foreignEngine = new Engine(FLOW_ENGINE_CONFIG);
    for (const command of [...foreign.setup, ...foreign.orders].slice(0, older.seq)) foreignEngine.apply(command);
    const olderOriginal = readFileSync(older.path);
    writeSnapshot(dir, captureSnapshot(foreignEngine, older.seq, readSnapshot(older).eventIndexNext));
    const foreignSnapshot = journalCli('verify', dir);
    expectExit(foreignSnapshot, EXIT_FAILURE);
    assert.match(foreignSnapshot.stderr, new RegExp(`${older.path} at byte \\d+ \\(seq ${older.seq}\\): replaying the journal to seq ${older.seq} gives state hash`));
    writeFileSync(older.path, olderOriginal);

    const first = batches[0]!;
    const segment = readFileSync(first.path);
    segment[first.offsetBytes + first.sizeBytes - 5] = segment[first.offsetBytes + first.sizeBytes - 5]! ^ 0x40;
    writeFileSync(first.path, segment);
    const corrupt = journalCli('verify', dir);
    expectExit(corrupt, EXIT_FAILURE);
    assert.match(corrupt.stderr, new RegExp(`${first.path} at byte ${first.offsetBytes} \\(seq 1\\): crc`));
  });
});

test('inspect prints commands with their fields and batch boundaries, read-only', async () => {
  await withTempDir((tmp) => {
    const flowPath = join(tmp, 'flow.csv');
    writeFileSync(flowPath, 'N,AAA,1,7,B,L,GTC,100,5\nN,AAA,2,8,S,L,IOC,99,2\nC,AAA,1,7\n');
    const dir = join(tmp, 'journal');
    expectExit(journalCli('ingest', flowPath, dir, '--batch', '4'), 0);
    const inspect = journalCli('inspect', dir, '--from', '4', '--limit', '3');
    expectExit(inspect, 0);
    const lines = inspect.stdout.trim().split('\n');
    assert.match(lines[0]!, /^batch seq 1\.\.4 \(4 commands, \d+ bytes\) at .*00000000000000000001\.log byte 0$/);
    assert.match(lines[1]!, /^ {2}seq 4 1970-01-01T00:00:00\.000004Z CreateAccount name=7$/);
    assert.match(lines[2]!, /^batch seq 5\.\.8 /);
    assert.match(lines[3]!, /^ {2}seq 5 \S+ CreateAccount name=8$/);
    assert.match(lines[4]!, /^ {2}seq 6 \S+ Place symbolId=0 accountId=0 orderId=1 side=1 orderType=1 tif=1 flags=0 stp=0 priceTicks=100 qtyLots=5 /);
    assert.match(inspect.stdout, /# 8 commands, seq 1\.\.8, 2 batches in 1 segments/);
    assert.match(inspect.stdout, /# 2 more commands after the 3 shown/);
    const segmentPath = commandBatches(dir)[0]!.path;
    appendFileSync(segmentPath, Buffer.alloc(30, 1));
    const sizeBytes = readFileSync(segmentPath).length;
    const torn = journalCli('inspect', dir);
    expectExit(torn, 0);
    assert.match(torn.stdout, /# torn tail \(left in place\): 30 bytes at .* \(seq 9\)/);
    assert.equal(readFileSync(segmentPath).length, sizeBytes, 'inspect changes nothing');
  });
});

test('bad arguments print the usage and exit 2', () => {
  for (const args of [[], ['frobnicate'], ['verify'], ['verify', 'a', 'b'], ['replay', 'dir', '--trades', 't.csv'], ['ingest', 'flow.csv'], ['inspect', 'dir', '--limit', '0'], ['inspect', 'dir', '--color']]) {
    const result = journalCli(...args);
    assert.equal(result.status, EXIT_USAGE, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /usage:\n {2}npm run journal -- ingest FLOW\.csv DIR/);
  }
});
