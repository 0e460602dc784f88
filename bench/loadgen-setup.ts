// Creates what a load run needs on a fresh (or reused) server through the admin REST API: the
// symbols, the accounts and their deposits. Names that already exist are fine, so the same command
// runs again against the same server; only accounts created now get deposits (repeated deposits
// would, over a long sweep, overflow the balances' safe-integer range).
import { accountName, BASE_DEPOSIT, LOT_SIZE, MAKER_FEE_BPS, QUOTE_ASSET, QUOTE_DEPOSIT, TAKER_FEE_BPS, TICK_SIZE, type BenchSymbol } from './loadgen-market.ts';

/** Admin calls in flight at once (each waits for a durable outcome). */
const ADMIN_CONCURRENCY = 8;
const HTTP_OK = 200;
const HTTP_CONFLICT = 409;

/** The HTTP base of the server behind a ws:// URL. */
export function httpBaseOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

/** Resolves true when the call created something, false when the name was taken already (if that is fine). */
async function post(baseUrl: string, adminKey: string, path: string, body: unknown, existingIsFine: boolean): Promise<boolean> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'x-api-key': adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status === HTTP_OK) return true;
  if (existingIsFine && response.status === HTTP_CONFLICT && text.includes('NAME_TAKEN')) return false;
  throw new Error(`POST ${path} ${JSON.stringify(body)}: ${response.status} ${text}`);
}

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += ADMIN_CONCURRENCY) await Promise.all(items.slice(i, i + ADMIN_CONCURRENCY).map(each));
}

export async function setUpVenue(wsUrl: string, adminKey: string, symbols: readonly BenchSymbol[], accountCount: number): Promise<void> {
  const baseUrl = httpBaseOf(wsUrl);
  // One at a time: symbols sharing the quote asset would race to create it.
  const newSymbols: BenchSymbol[] = [];
  for (const s of symbols) {
    if (await post(baseUrl, adminKey, '/v1/admin/symbols', { symbol: s.name, base: s.base, quote: QUOTE_ASSET, tickSize: TICK_SIZE, lotSize: LOT_SIZE, makerFeeBps: MAKER_FEE_BPS, takerFeeBps: TAKER_FEE_BPS }, true)) newSymbols.push(s);
  }
  const accounts = Array.from({ length: accountCount }, (_, i) => accountName(i));
  const created = new Set<string>();
  await inBatches(accounts, async (account) => {
    if (await post(baseUrl, adminKey, '/v1/admin/accounts', { account }, true)) created.add(account);
  });
  // A new account gets every asset; an existing one only the base assets of symbols new to this server.
  const deposits = accounts.flatMap((account) => [
    ...(created.has(account) ? [{ account, asset: QUOTE_ASSET, amount: QUOTE_DEPOSIT }] : []),
    ...(created.has(account) ? symbols : newSymbols).map((s) => ({ account, asset: s.base, amount: BASE_DEPOSIT })),
  ]);
  await inBatches(deposits, async (deposit) => void (await post(baseUrl, adminKey, '/v1/admin/deposits', deposit, false)));
}
