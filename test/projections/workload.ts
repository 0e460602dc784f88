// A seeded random workload through the real server with the client library: one trader per
// account, each sending its share of the operations (limit orders resting and crossing, IOC,
// market, post-only, icebergs, stops, one-cancels-the-other pairs, cancels, replaces, mass
// cancels) over two symbols, with a few requests in flight. The engine decides what happens; the
// tests compare the projections with what the engine ends up holding.
import { ExchangeClient } from '../../client/exchange-client.ts';
import type { PlaceParams } from '../../client/client-types.ts';
import { seededRandom } from '../engine/random-commands.ts';
import { adminPost, setUpMarket, token, type RunningServer } from '../server/server-process.ts';

export const SYMBOLS = ['BTC-USD', 'ETH-USD'] as const;
const REQUEST_TIMEOUT_MS = 10_000;
/** Centre of the prices, in cents (tick 0.01). */
const MID_CENTS = 10_000;

/** Both symbols, their assets and the accounts, funded in all three assets. */
export async function setUpVenue(server: RunningServer, accounts: readonly string[]): Promise<void> {
  await setUpMarket(server, [...accounts], SYMBOLS[0]);
  const created = await adminPost(server, '/v1/admin/symbols', { symbol: SYMBOLS[1], base: 'ETH', quote: 'USD', tickSize: '0.01', lotSize: '0.001', makerFeeBps: 5, takerFeeBps: 25 });
  if (created.status !== 200) throw new Error(`symbol: ${JSON.stringify(created)}`);
  for (const account of accounts) {
    const r = await adminPost(server, '/v1/admin/deposits', { account, asset: 'ETH', amount: '1000' });
    if (r.status !== 200) throw new Error(`deposit: ${JSON.stringify(r)}`);
  }
}

export interface WorkloadOptions {
  readonly seed: number;
  readonly operations: number;
  /** Requests each trader keeps in flight. */
  readonly inFlight: number;
  /** Ends the workload early once it says so. */
  readonly until?: () => boolean;
}

export interface WorkloadReport {
  readonly requests: number;
  readonly accepted: number;
  /** Execution reports of fills where the account was the taker: one per fill. */
  readonly takerFills: () => number;
  close(): Promise<void>;
}

export const cents = (c: number): string => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const lots = (n: number): string => (n / 1_000).toFixed(3);

export async function runWorkload(server: RunningServer, accounts: readonly string[], options: WorkloadOptions): Promise<WorkloadReport> {
  const clients: ExchangeClient[] = [];
  let requests = 0;
  let accepted = 0;
  let takerFills = 0;
  for (const account of accounts) {
    const client = new ExchangeClient({ requestTimeoutMs: REQUEST_TIMEOUT_MS });
    client.on('executionReport', (r) => {
      if ((r.kind === 'filled' || r.kind === 'partially_filled') && r.liquidity === 'taker') takerFills++;
    });
    await client.connect(server.wsUrl, { token: await token(account, ['trader']) });
    clients.push(client);
  }
  const trader = async (client: ExchangeClient, index: number, operations: number): Promise<void> => {
    const random = seededRandom(options.seed * 31 + index);
    const int = (n: number) => Math.floor(random() * n);
    const live: { symbol: string; orderId: number }[] = [];
    const one = async (): Promise<void> => {
      const symbol = SYMBOLS[int(SYMBOLS.length)] as string;
      const side = random() < 0.5 ? 'buy' : 'sell';
      const away = (side === 'buy' ? -1 : 1) * (1 + int(40));
      const crossing = (side === 'buy' ? 1 : -1) * int(20);
      const base: PlaceParams = { symbol, side, orderType: 'limit', timeInForce: 'GTC', qty: lots(1 + int(40)), price: cents(MID_CENTS + (random() < 0.35 ? crossing : away)) };
      const r = random();
      let place: PlaceParams | undefined;
      if (r < 0.30) place = base;
      else if (r < 0.38) place = { ...base, timeInForce: 'IOC' };
      else if (r < 0.44) place = { symbol, side, orderType: 'market', timeInForce: 'IOC', qty: base.qty, ...(side === 'buy' ? { quoteBudget: '20' } : {}) };
      else if (r < 0.48) place = { ...base, price: cents(MID_CENTS + away), postOnly: true };
      else if (r < 0.52) place = { ...base, qty: lots(40 + int(40)), displayQty: lots(5 + int(10)) };
      else if (r < 0.56) place = { ...base, orderType: 'stop_limit', stopPrice: cents(MID_CENTS - away), price: cents(MID_CENTS - away) };
      else if (r < 0.58) place = { symbol, side, orderType: 'stop_market', timeInForce: 'GTC', qty: base.qty, stopPrice: cents(MID_CENTS - away), ...(side === 'buy' ? { quoteBudget: '20' } : {}) };
      else if (r < 0.61) {
        place = { ...base, orderType: 'oco', price: cents(MID_CENTS + away), stopPrice: cents(MID_CENTS - away - (side === 'buy' ? -5 : 5)), ...(side === 'buy' ? { quoteBudget: '20' } : {}) };
      } else if (r < 0.62) place = { ...base, stp: 'decrement_and_cancel', price: cents(MID_CENTS + crossing) };
      requests++;
      if (place !== undefined) {
        const report = await client.place(place);
        if (report.kind !== 'rejected') {
          accepted++;
          if (report.orderId !== undefined) live.push({ symbol, orderId: report.orderId });
        }
        return;
      }
      const target = live.length === 0 ? undefined : live.splice(int(live.length), 1)[0];
      if (r < 0.78 && target !== undefined) await client.cancel(target);
      else if (r < 0.97 && target !== undefined) {
        await client.replace({ ...target, price: cents(MID_CENTS + (random() < 0.5 ? away : crossing)), qty: lots(1 + int(30)) });
        live.push(target);
      } else await client.massCancel({ symbol });
    };
    let started = 0;
    const lane = async (): Promise<void> => {
      while (started < operations && options.until?.() !== true) {
        started++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, lane));
  };
  const share = Math.ceil(options.operations / accounts.length);
  await Promise.all(clients.map((client, index) => trader(client, index, share)));
  return {
    requests, accepted, takerFills: () => takerFills,
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
