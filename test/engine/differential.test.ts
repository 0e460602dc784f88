// Proves the engine's trades and final books are byte-identical to shared/orderflow's reference book
// (refrun.mjs) on 54 generated flows: several seeds, 1 and 8 symbols, mixes heavy in FOK, POST and replace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Engine } from '../../engine/engine.ts';
import { compileFlow, FLOW_ENGINE_CONFIG, replayFlow } from '../../engine/orderflow.ts';

const ORDERFLOW_DIR = new URL('../../../shared/orderflow/', import.meta.url).pathname;
const available = existsSync(join(ORDERFLOW_DIR, 'refrun.mjs'));
if (!available) {
  const message = `!!! ${ORDERFLOW_DIR} is missing: the differential test against the reference book cannot run`;
  if (process.env['REQUIRE_SERVICES'] === '1') throw new Error(message);
  console.error(message);
}

/** genflow mixes: gtc,ioc,fok,post,mkt,cancel,replace */
const MIXES = ['40,8,2,5,5,25,15', '10,5,30,30,5,10,10', '20,5,5,5,5,10,50', '5,5,40,40,5,0,5', '30,10,5,5,20,20,10', '25,0,0,25,0,25,25'];
const FLOWS = MIXES.flatMap((mix, m) => [1, 8].flatMap((symbols) => [1, 2, 3, 4].map((k) => ({ seed: 1_000 * (m + 1) + 10 * symbols + k, symbols, mix }))))
  .filter((_, i) => i < 48)
  .concat([{ seed: 77, symbols: 1, mix: MIXES[0] as string }, { seed: 78, symbols: 8, mix: MIXES[2] as string }, { seed: 79, symbols: 3, mix: MIXES[3] as string },
    { seed: 80, symbols: 2, mix: MIXES[1] as string }, { seed: 81, symbols: 5, mix: MIXES[4] as string }, { seed: 82, symbols: 1, mix: MIXES[5] as string }]);
const dir = mkdtempSync(join(tmpdir(), 'differential-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]): string {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

test(`${FLOWS.length} generated flows give byte-identical trades and books to refrun.mjs`, { skip: !available }, () => {
  let trades = 0;
  for (const { seed, symbols, mix } of FLOWS) {
    const ops = 2_000 + (seed % 7) * 1_500;
    const flow = node([join(ORDERFLOW_DIR, 'genflow.mjs'), '--seed', String(seed), '--symbols', String(symbols), '--fill', '1500', '--ops', String(ops), '--mix', mix]);
    const flowPath = join(dir, `flow-${seed}.csv`);
    writeFileSync(flowPath, flow);
    node([join(ORDERFLOW_DIR, 'refrun.mjs'), flowPath, join(dir, 'trades.csv'), join(dir, 'book.csv')]);
    const run = replayFlow(compileFlow(flow));
    const label = `seed ${seed}, ${symbols} symbols, mix ${mix}`;
    assert.equal(run.tradesText, readFileSync(join(dir, 'trades.csv'), 'utf8'), `${label}: trades`);
    assert.equal(run.bookText, readFileSync(join(dir, 'book.csv'), 'utf8'), `${label}: book`);
    trades += run.tradesText.split('\n').length - 1;
  }
  assert.ok(trades > 100_000, `the flows trade (${trades} trades)`);
});

test('book invariants hold after every command of a flow in the no-risk mode', { skip: !available }, () => {
  const flow = node([join(ORDERFLOW_DIR, 'genflow.mjs'), '--seed', '5', '--symbols', '3', '--fill', '800', '--ops', '6000', '--mix', MIXES[2] as string]);
  const program = compileFlow(flow);
  const engine = new Engine(FLOW_ENGINE_CONFIG);
  for (const c of [...program.setup, ...program.orders]) {
    engine.apply(c);
    engine.events.clear();
    engine.verify();
  }
});
