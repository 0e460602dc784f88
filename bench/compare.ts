// `npm run bench:compare -- FLOW.csv [--runs N]`: the engine and nodejs-order-book 10.1.1 on the same
// order-flow file, side by side in one process, alternating runs; parsing is excluded for both.
// Prints each run, then one JSON line with both medians and their ratio.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OrderBook } from 'nodejs-order-book';
import { compileFlow } from '../engine/orderflow.ts';
import { timeFlow } from './engine.ts';
import { median, setupLine } from './report.ts';

type PeerOp =
  | { op: 'N'; sym: string; id: string; side: 'buy' | 'sell'; market: boolean; tif: 'GTC' | 'IOC' | 'FOK'; postOnly: boolean; price: number; size: number }
  | { op: 'C'; sym: string; id: string }
  | { op: 'R'; sym: string; id: string; price: number; size: number };

function peerOps(text: string): PeerOp[] {
  const ops: PeerOp[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(',');
    const [op, sym = '', id = ''] = f;
    if (op === 'N') {
      const tif = f[6] === 'POST' ? 'GTC' : (f[6] as 'GTC' | 'IOC' | 'FOK');
      ops.push({ op, sym, id, side: f[4] === 'B' ? 'buy' : 'sell', market: f[5] === 'M', tif, postOnly: f[6] === 'POST', price: Number(f[7]), size: Number(f[8]) });
    } else if (op === 'C') {
      ops.push({ op, sym, id });
    } else if (op === 'R') {
      ops.push({ op, sym, id, price: Number(f[4]), size: Number(f[5]) });
    }
  }
  return ops;
}

/** nodejs-order-book on the same operations: one book per symbol, its own API for each op. */
function timePeer(ops: readonly PeerOp[]): number {
  const books = new Map<string, OrderBook>();
  const bookOf = (sym: string) => {
    let b = books.get(sym);
    if (b === undefined) {
      b = new OrderBook();
      books.set(sym, b);
    }
    return b;
  };
  for (const o of ops) bookOf(o.sym);
  const started = process.hrtime.bigint();
  for (const o of ops) {
    const book = books.get(o.sym) as OrderBook;
    if (o.op === 'N') {
      if (o.market) book.market({ side: o.side as never, size: o.size });
      else book.limit({ side: o.side as never, id: o.id, size: o.size, price: o.price, timeInForce: o.tif as never, postOnly: o.postOnly });
    } else if (o.op === 'C') {
      book.cancel(o.id);
    } else {
      book.modify(o.id, { price: o.price, size: o.size });
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
const flowPath = positionals[0];
if (flowPath === undefined) {
  console.error('usage: npm run bench:compare -- FLOW.csv [--runs N]');
  process.exit(2);
}
const text = readFileSync(flowPath, 'utf8');
const program = compileFlow(text);
const ops = peerOps(text);
console.log(setupLine(`engine vs nodejs-order-book 10.1.1 on ${flowPath}: ${ops.length} commands`));
timeFlow(program);
timePeer(ops);
const ours: number[] = [];
const peer: number[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  ours.push(timeFlow(program));
  peer.push(timePeer(ops));
  console.log(`run ${run + 1}: engine ${(ops.length / (ours.at(-1) as number) / 1e6).toFixed(3)} M/s, nodejs-order-book ${(ops.length / (peer.at(-1) as number) / 1e6).toFixed(3)} M/s`);
}
const oursPerSec = ops.length / median(ours);
const peerPerSec = ops.length / median(peer);
console.log(JSON.stringify({ ops: ops.length, engine_ops_per_sec: Math.round(oursPerSec), peer_ops_per_sec: Math.round(peerPerSec), ratio: Number((oursPerSec / peerPerSec).toFixed(2)) }));
