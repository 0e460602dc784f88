// The command line of `npm run client`: each command's options, checked before anything connects, so
// that a mistake is a clear usage error (exit 2) rather than a refusal from the server.
import { parseArgs } from 'node:util';
import { ENCODINGS } from '../gateway/protocol/codec.ts';
import type { Encoding } from '../gateway/protocol/codec.ts';
import { ProtocolError } from '../gateway/protocol/errors.ts';
import { BOOK_DEPTH_MAX, SIDES, TIMES_IN_FORCE } from '../gateway/protocol/messages.ts';
import { Invalid, name } from '../gateway/protocol/rules.ts';
import { validateClientMessage } from '../gateway/protocol/validate.ts';
import type { CancelParams, PlaceParams } from './client-types.ts';

export const USAGE = `usage:
  npm run client -- place  --url URL --token T --symbol S --side buy|sell --type limit|market --qty Q
                           [--price P] [--tif GTC|IOC|FOK|GTD] [--client-order-id N] [--quote-budget B]
                           [--settle-ms MS] [--timeout-ms MS] [--encoding msgpack|flatbuffers]
      places an order and prints its execution reports as JSON lines until it is done, or has rested
      (no report for --settle-ms, default 500); exit 0 unless it was rejected
  npm run client -- cancel --url URL --token T --symbol S (--order-id N | --client-order-id N)
                           [--timeout-ms MS] [--encoding ...]
      cancels an order and prints the report; exit 0 when it was cancelled
  npm run client -- book   --url URL --symbol S [--depth N] [--json] [--timeout-ms MS] [--encoding ...]
      prints the book's snapshot (no login needed)
  npm run client -- watch  --url URL --symbol S [--token T] [--depth N] [--encoding ...]
      streams the symbol's book, trades and best bid/offer (with a token, also your execution
      reports and balances) as JSON lines until Ctrl-C; reconnects when the connection drops`;

/** The CLI was called wrongly; the message says how. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface Common {
  readonly url: string;
  readonly encoding: Encoding;
  readonly timeoutMs: number;
}

export type CliCommand =
  | Common & { readonly command: 'place'; readonly token: string; readonly settleMs: number; readonly order: PlaceParams }
  | Common & { readonly command: 'cancel'; readonly token: string; readonly order: CancelParams }
  | Common & { readonly command: 'book'; readonly symbol: string; readonly depth: number | undefined; readonly json: boolean }
  | Common & { readonly command: 'watch'; readonly symbol: string; readonly token: string | undefined; readonly depth: number | undefined }
  | { readonly command: 'help' };

const TIMEOUT_MS_DEFAULT = 10_000;
/** Longest --timeout-ms and --settle-ms: an hour. */
const WAIT_MS_MAX = 3_600_000;
const SETTLE_MS_DEFAULT = 500;

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
const text = { type: 'string' } as const;
const COMMON: OptionSpec = { url: text, encoding: text, 'timeout-ms': text };
const OPTIONS: ReadonlyMap<string, OptionSpec> = new Map([
  ['place', { ...COMMON, token: text, symbol: text, side: text, type: text, qty: text, price: text, tif: text, 'client-order-id': text, 'quote-budget': text, 'settle-ms': text }],
  ['cancel', { ...COMMON, token: text, symbol: text, 'order-id': text, 'client-order-id': text }],
  ['book', { ...COMMON, symbol: text, depth: text, json: { type: 'boolean' } }],
  ['watch', { ...COMMON, symbol: text, token: text, depth: text }],
]);

type Values = Readonly<Record<string, string | boolean | undefined>>;

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[], fallback?: T): T {
  const value = optional(values, name) ?? fallback;
  if (value === undefined) throw new UsageError(`--${name} is required (${allowed.join('|')})`);
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be ${allowed.join('|')}, not ${JSON.stringify(value)}`);
  return value as T;
}

function integer(values: Values, name: string, min: number, max: number): number | undefined {
  const value = optional(values, name);
  if (value === undefined) return undefined;
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in ${min}..${max}, not ${JSON.stringify(value)}`);
  return n;
}

function common(values: Values): Common {
  const url = required(values, 'url');
  if (!/^wss?:\/\/./.test(url)) throw new UsageError(`--url must be a ws:// or wss:// URL, not ${JSON.stringify(url)}`);
  return { url, encoding: oneOf(values, 'encoding', ENCODINGS, 'msgpack'), timeoutMs: integer(values, 'timeout-ms', 1, WAIT_MS_MAX) ?? TIMEOUT_MS_DEFAULT };
}

/** The option that sets each message field the commands fill. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  symbol: 'symbol', qty: 'qty', price: 'price', quoteBudget: 'quote-budget', clientOrderId: 'client-order-id', orderId: 'order-id',
};

/** The message's own rules (decimals, names, ids), as usage errors naming the option. */
function checked<T extends object>(type: 'place' | 'cancel', params: T): T {
  const result = validateClientMessage({ type, requestId: 0, ...params });
  if (result instanceof ProtocolError) {
    throw new UsageError(result.message.replace(new RegExp(`^${type}\\.(\\w+)`), (_, field: string) => `--${OPTION_OF_FIELD[field] ?? field}`));
  }
  return params;
}

function place(values: Values): CliCommand {
  const base = common(values);
  const orderType = oneOf(values, 'type', ['limit', 'market'] as const);
  const price = optional(values, 'price');
  if (orderType === 'limit' && price === undefined) throw new UsageError('--price is required for a limit order');
  if (orderType === 'market' && price !== undefined) throw new UsageError('a market order takes no --price');
  const clientOrderId = integer(values, 'client-order-id', 1, Number.MAX_SAFE_INTEGER);
  const quoteBudget = optional(values, 'quote-budget');
  const order: PlaceParams = {
    symbol: required(values, 'symbol'), side: oneOf(values, 'side', SIDES), orderType,
    timeInForce: oneOf(values, 'tif', TIMES_IN_FORCE, orderType === 'market' ? 'IOC' : 'GTC'), qty: required(values, 'qty'),
    ...(price === undefined ? {} : { price }), ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(quoteBudget === undefined ? {} : { quoteBudget }),
  };
  return {
    command: 'place', ...base, token: required(values, 'token'), settleMs: integer(values, 'settle-ms', 0, WAIT_MS_MAX) ?? SETTLE_MS_DEFAULT,
    order: checked('place', order),
  };
}

function cancel(values: Values): CliCommand {
  const base = common(values);
  const orderId = integer(values, 'order-id', 1, Number.MAX_SAFE_INTEGER);
  const clientOrderId = integer(values, 'client-order-id', 1, Number.MAX_SAFE_INTEGER);
  const symbol = required(values, 'symbol');
  if ((orderId === undefined) === (clientOrderId === undefined)) throw new UsageError('give exactly one of --order-id and --client-order-id');
  const order: CancelParams = orderId === undefined ? { symbol, clientOrderId: clientOrderId as number } : { symbol, orderId };
  return { command: 'cancel', ...base, token: required(values, 'token'), order: checked('cancel', order) };
}

function symbolOf(values: Values): string {
  const symbol = required(values, 'symbol');
  const valid = name(symbol);
  if (valid instanceof Invalid) throw new UsageError(`--symbol must be ${valid.expected}, not ${JSON.stringify(symbol)}`);
  return valid;
}

/** The command and its checked options; throws UsageError. */
export function parseCli(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  const options = OPTIONS.get(command);
  if (options === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}: place, cancel, book or watch`);
  let values: Values;
  try {
    values = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  switch (command) {
    case 'place': return place(values);
    case 'cancel': return cancel(values);
    case 'book': return { command: 'book', ...common(values), symbol: symbolOf(values), depth: integer(values, 'depth', 1, BOOK_DEPTH_MAX), json: values['json'] === true };
    default: return { command: 'watch', ...common(values), symbol: symbolOf(values), token: optional(values, 'token'), depth: integer(values, 'depth', 1, BOOK_DEPTH_MAX) };
  }
}
