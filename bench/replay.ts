// `npm run replay -- FLOW.csv --trades TRADES.csv --book BOOK.csv`: replays an order-flow file
// (shared/orderflow/FORMAT.md) through the engine and writes both outputs in that format.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { compileFlow, replayFlow } from '../engine/orderflow.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { trades: { type: 'string' }, book: { type: 'string' } },
});
const [flowPath] = positionals;
if (flowPath === undefined || values.trades === undefined || values.book === undefined || positionals.length !== 1) {
  console.error('usage: npm run replay -- FLOW.csv --trades TRADES.csv --book BOOK.csv');
  process.exit(2);
}
const program = compileFlow(readFileSync(flowPath, 'utf8'));
const run = replayFlow(program);
for (const [path, text] of [[values.trades, run.tradesText], [values.book, run.bookText]] as const) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
const tradeCount = run.tradesText === '\n' ? 0 : run.tradesText.split('\n').length - 1;
console.log(JSON.stringify({ commands: program.orders.length, trades: tradeCount, state_hash: run.engine.stateHash() }));
