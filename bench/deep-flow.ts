// `npm run -s bench:deep -- [--seed N] [--ops N] > FLOW.csv`: the deep-book case of the matching
// benchmark as an order-flow file (shared/orderflow/FORMAT.md): about 20,000 resting orders on 60
// price levels (30 a side), then a cancel-heavy mix that keeps the book that deep: small marketable
// IOCs (8%), replaces (4%), and otherwise a cancel of a random live order or a new resting order on
// those levels, whichever moves the book back towards 20,000 orders (about 44% each).
import { parseArgs } from 'node:util';
import { seededRandom } from '../test/engine/random-commands.ts';

const LEVELS_PER_SIDE = 30;
const RESTING_ORDERS = 20_000;
const MID_TICKS = 100_000;
const ACCOUNTS = 1_000;

const { values } = parseArgs({ options: { seed: { type: 'string', default: '7' }, ops: { type: 'string', default: '1000000' } } });
const random = seededRandom(Number(values.seed));
const int = (n: number) => Math.floor(random() * n);
const lines: string[] = [];
const live: { id: number; account: number; side: 'B' | 'S'; price: number }[] = [];
let nextId = 1;

const flush = () => {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  lines.length = 0;
};
const rest = () => {
  const side = random() < 0.5 ? 'B' : 'S';
  const price = side === 'B' ? MID_TICKS - 1 - int(LEVELS_PER_SIDE) : MID_TICKS + 1 + int(LEVELS_PER_SIDE);
  const order = { id: nextId++, account: 1 + int(ACCOUNTS), side, price } as const;
  lines.push(`N,S0,${order.id},${order.account},${side},L,GTC,${price},${1 + int(10)}`);
  live.push(order);
};
/** A random live order, removed from the list (its id is never reused). */
const takeLive = () => {
  const i = int(live.length);
  const order = live[i];
  live[i] = live[live.length - 1] as (typeof live)[number];
  live.pop();
  return order;
};

for (let i = 0; i < RESTING_ORDERS; i++) rest();
for (let i = 0; i < Number(values.ops); i++) {
  const r = random();
  if (r < 0.88) {
    // Orders filled by the IOCs stay in `live` until picked: their cancels are refused, as a real client's would be.
    if (random() < live.length / (2 * RESTING_ORDERS)) {
      const o = takeLive();
      if (o !== undefined) lines.push(`C,S0,${o.id},${o.account}`);
    } else {
      rest();
    }
  } else if (r < 0.96) {
    const side = random() < 0.5 ? 'B' : 'S';
    lines.push(`N,S0,${nextId++},${1 + int(ACCOUNTS)},${side},L,IOC,${side === 'B' ? MID_TICKS + 1 : MID_TICKS - 1},${1 + int(3)}`);
  } else {
    const o = takeLive();
    if (o !== undefined) {
      lines.push(`R,S0,${o.id},${o.account},${o.price},${1 + int(5)}`);
      live.push(o);
    }
  }
  if (lines.length >= 4_096) flush();
}
flush();
