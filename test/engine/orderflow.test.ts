// Proves order-flow files are parsed strictly (every malformed line named with its number) and the replay CLI writes both outputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileFlow, FlowFormatError, replayFlow } from '../../engine/orderflow.ts';

test('a small flow replays: a trade at the maker price and the rest on the book', () => {
  const run = replayFlow(compileFlow('# comment\nN,X,1,a,S,L,GTC,101,5\nN,X,2,b,B,L,GTC,102,3\nN,X,3,b,B,L,POST,100,1\n'));
  assert.equal(run.tradesText, 'X,2,1,101,3\n');
  assert.equal(run.bookText, 'X,B,100,3,1\nX,S,101,1,2\n');
});

test('malformed lines are refused with their line number and what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['N,X,1,a,B,L,GTC,100', /line 1: N needs 9 fields/],
    ['\nN,X,1,a,Q,L,GTC,100,1', /line 2: side must be B or S/],
    ['N,X,1,a,B,L,DAY,100,1', /tif must be GTC, IOC, FOK or POST/],
    ['N,X,1,a,B,Z,GTC,100,1', /type must be L or M/],
    ['N,X,1,a,B,M,IOC,100,1', /market order has an empty price/],
    ['N,X,01,a,B,L,GTC,100,1', /order id must be a positive decimal integer/],
    ['N,X,1,a,B,L,GTC,1.5,1', /price must be a positive integer/],
    ['N,X,1,a,B,L,GTC,100,0', /qty must be a positive integer/],
    ['N,X,1,a,B,L,GTC,2000000000,1', /price 2000000000 exceeds/],
    ['C,X,1', /line 1: missing account/],
    ['C,X,1,a,extra', /C needs 4 fields/],
    ['R,X,1,a,100', /R needs 6 fields/],
    ['Z,X,1,a', /unknown op "Z"/],
    ['N', /missing symbol/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => compileFlow(text), (e: unknown) => e instanceof FlowFormatError && message.test(e.message), text);
  }
});

test('npm run replay writes trades and book files and prints a summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
  try {
    const flow = new URL('../../examples/flow-small.csv', import.meta.url).pathname;
    const cli = new URL('../../bench/replay.ts', import.meta.url).pathname;
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, flow, '--trades', join(dir, 't.csv'), '--book', join(dir, 'out/b.csv')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { commands: number; trades: number; state_hash: string };
    assert.equal(summary.commands, 10_000);
    assert.equal(readFileSync(join(dir, 't.csv'), 'utf8').split('\n').length - 1, summary.trades);
    assert.match(summary.state_hash, /^[0-9a-f]{64}$/);
    assert.ok(readFileSync(join(dir, 'out/b.csv'), 'utf8').length > 0);
    const usage = spawnSync(process.execPath, ['--import', 'tsx', cli, flow], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /usage: npm run replay/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
