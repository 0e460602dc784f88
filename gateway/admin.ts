// The administrative REST calls (behind the admin API key): create symbols (and their assets),
// accounts, deposits and withdrawals, halt, resume and close. Decimals arrive as strings and are converted
// exactly; each call becomes journaled commands, and answers with the core's outcome.
import { symbolUnits, toUnits } from '../engine/decimal.ts';
import { SAFE_INTEGER_MAX } from '../engine/limits.ts';
import { resultCodeName } from '../engine/result-codes.ts';
import { CommandType, EventType, type DecodedRecord } from '../engine/schema.ts';
import { SymbolStatus, type Command } from '../engine/commands.ts';
import { statusName, type Registry, type SymbolInfo } from './registry.ts';

/** Scale given to an asset a symbol names before it exists, unless the request says otherwise. */
export const ASSET_SCALE_DEFAULT = 8;
/** Price max (in ticks) of a symbol whose request names none. */
export const PRICE_TICKS_MAX_DEFAULT = 100_000_000;
/** Largest quantity (in lots) the default quantity bound may reach. */
export const QTY_LOTS_MAX_CEILING = 1_000_000_000_000;
/** How long an admin call waits for the core's outcome. */
export const OUTCOME_TIMEOUT_MS = 10_000;

export interface AdminResult {
  readonly status: number;
  readonly body: unknown;
}

/** Runs one command and waits for its outcome (undefined: the pipeline is full). */
export type Execute = (command: Command) => Promise<DecodedRecord> | undefined;

type Body = Record<string, unknown>;

class BadRequest extends Error {}

const header = { seq: 0, timeUs: 0 };

function str(body: Body, field: string, optional = false): string | undefined {
  const value = body[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new BadRequest(`${field} must be a non-empty string of at most 64 characters`);
  return value;
}

function int(body: Body, field: string, fallback: number, max: number): number {
  const value = body[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) throw new BadRequest(`${field} must be an integer in 0..${max}`);
  return value;
}

function units(converted: { ok: true; value: number } | { ok: false; code: number }, field: string, text: string): number {
  if (!converted.ok) throw new BadRequest(`${field} ${JSON.stringify(text)} is not exact in the units it must be expressed in (${resultCodeName(converted.code)})`);
  return converted.value;
}

export type Parsed = { readonly ok: true; readonly body: Body } | { readonly ok: false; readonly result: AdminResult };

export function parseJson(text: Buffer | undefined): Parsed {
  if (text === undefined) return { ok: false, result: { status: 413, body: { error: 'BODY_TOO_LARGE' } } };
  try {
    const parsed: unknown = JSON.parse(text.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, result: { status: 400, body: { error: 'BAD_JSON', message: 'the body must be a JSON object' } } };
    return { ok: true, body: parsed as Body };
  } catch (e) {
    return { ok: false, result: { status: 400, body: { error: 'BAD_JSON', message: (e as Error).message } } };
  }
}

/** Turns an outcome into a reply: a rejection is 409 (conflict with the state) or 422 (invalid). */
function outcome(event: DecodedRecord, ok: (e: DecodedRecord) => unknown): AdminResult {
  if (event['type'] !== EventType.REJECTED) return { status: 200, body: ok(event) };
  const code = event['code'] as number;
  return { status: code >= 2000 && code < 3000 ? 409 : 422, body: { error: resultCodeName(code), code } };
}

async function run(execute: Execute, command: Command): Promise<DecodedRecord> {
  const pending = execute(command);
  if (pending === undefined) throw new Busy();
  return pending;
}

class Busy extends Error {}

/** Wraps a handler: bad input is 400, a full pipeline 503, a lost outcome 504. */
export async function admin(handler: () => Promise<AdminResult>): Promise<AdminResult> {
  try {
    return await handler();
  } catch (e) {
    if (e instanceof BadRequest) return { status: 400, body: { error: 'BAD_REQUEST', message: e.message } };
    if (e instanceof Busy) return { status: 503, body: { error: 'SERVER_BUSY' } };
    return { status: 504, body: { error: 'NO_OUTCOME', message: (e as Error).message } };
  }
}

async function ensureAsset(registry: Registry, execute: Execute, name: string, scale: number): Promise<AdminResult | undefined> {
  if (registry.assetByName.has(name)) return undefined;
  const result = outcome(await run(execute, { type: CommandType.ADD_ASSET, ...header, name, scale }), () => undefined);
  return result.status === 200 ? undefined : result;
}

export async function createSymbol(registry: Registry, execute: Execute, body: Body): Promise<AdminResult> {
  const name = str(body, 'symbol') as string;
  const baseName = str(body, 'base') as string;
  const quoteName = str(body, 'quote') as string;
  const tickSize = str(body, 'tickSize') as string;
  const lotSize = str(body, 'lotSize') as string;
  for (const [asset, scaleField] of [[baseName, 'baseScale'], [quoteName, 'quoteScale']] as const) {
    const failed = await ensureAsset(registry, execute, asset, int(body, scaleField, ASSET_SCALE_DEFAULT, 18));
    if (failed !== undefined) return failed;
  }
  const base = registry.assetByName.get(baseName);
  const quote = registry.assetByName.get(quoteName);
  if (base === undefined || quote === undefined) throw new Error('assets were created but are not in the registry');
  const u = symbolUnits(tickSize, lotSize, base.scale, quote.scale);
  if (!u.ok) throw new BadRequest(`tickSize ${tickSize} and lotSize ${lotSize} are not whole minor units of ${baseName} (scale ${base.scale}) and ${quoteName} (scale ${quote.scale}): ${resultCodeName(u.code)}`);
  const { baseUnitsPerLot, quoteUnitsPerTickLot } = u.value;
  const decimal = (field: string, unit: string, fallback: number): number => {
    const text = str(body, field, true);
    return text === undefined ? fallback : units(toUnits(text, unit), field, text);
  };
  const priceTicksMax = decimal('priceMax', tickSize, PRICE_TICKS_MAX_DEFAULT);
  const qtyCeiling = Math.max(1, Math.min(QTY_LOTS_MAX_CEILING, Math.floor(SAFE_INTEGER_MAX / (priceTicksMax * quoteUnitsPerTickLot)), Math.floor(SAFE_INTEGER_MAX / baseUnitsPerLot)));
  const command: Command = {
    type: CommandType.ADD_SYMBOL, ...header, name, baseAssetId: base.id, quoteAssetId: quote.id, baseUnitsPerLot, quoteUnitsPerTickLot,
    minQtyLots: decimal('minQty', lotSize, 1), maxQtyLots: decimal('maxQty', lotSize, qtyCeiling), priceTicksMax,
    referencePriceTicks: decimal('referencePrice', tickSize, 0), bandBps: int(body, 'bandBps', 0, 10_000),
    makerFeeBps: int(body, 'makerFeeBps', 0, 10_000), takerFeeBps: int(body, 'takerFeeBps', 0, 10_000), protectionBps: int(body, 'protectionBps', 0, 10_000),
  };
  return outcome(await run(execute, command), (e) => ({ symbol: name, symbolId: e['symbolId'], base: baseName, quote: quoteName, tickSize, lotSize }));
}

export async function createAccount(execute: Execute, body: Body): Promise<AdminResult> {
  const name = str(body, 'account') as string;
  return outcome(await run(execute, { type: CommandType.CREATE_ACCOUNT, ...header, name }), (e) => ({ account: name, accountId: e['accountId'] }));
}

export async function transfer(registry: Registry, execute: Execute, body: Body, type: typeof CommandType.DEPOSIT | typeof CommandType.WITHDRAW): Promise<AdminResult> {
  const accountName = str(body, 'account') as string;
  const assetName = str(body, 'asset') as string;
  const amountText = str(body, 'amount') as string;
  const accountId = registry.accountIdByName.get(accountName);
  const asset = registry.assetByName.get(assetName);
  if (accountId === undefined) return { status: 404, body: { error: 'UNKNOWN_ACCOUNT', message: `no account ${accountName}` } };
  if (asset === undefined) return { status: 404, body: { error: 'UNKNOWN_ASSET', message: `no asset ${assetName}` } };
  const amount = units(registry.amountToUnits(asset, amountText), 'amount', amountText);
  return outcome(await run(execute, { type, ...header, accountId, assetId: asset.id, amount }), (e) => ({
    account: accountName, asset: assetName, available: registry.amount(asset, e['availableAmount'] as number), reserved: registry.amount(asset, e['reservedAmount'] as number),
  }));
}

export type StatusChange = typeof CommandType.HALT_SYMBOL | typeof CommandType.RESUME_SYMBOL | typeof CommandType.CLOSE_SYMBOL;

/** The status each change leaves the symbol in, named as /v1/symbols names it. */
const STATUS_AFTER: Readonly<Record<StatusChange, number>> = {
  [CommandType.HALT_SYMBOL]: SymbolStatus.HALTED, [CommandType.RESUME_SYMBOL]: SymbolStatus.TRADING, [CommandType.CLOSE_SYMBOL]: SymbolStatus.CLOSED,
};

/** Halt, resume (optionally re-centring the price band on `referencePrice`) or close: a close cancels every live order of the symbol. */
export async function changeStatus(registry: Registry, execute: Execute, sym: SymbolInfo, type: StatusChange, body: Body): Promise<AdminResult> {
  const referencePrice = str(body, 'referencePrice', true);
  if (referencePrice !== undefined && type !== CommandType.RESUME_SYMBOL) throw new BadRequest('referencePrice is taken by resume only');
  const command: Command = type === CommandType.RESUME_SYMBOL
    ? { type, ...header, symbolId: sym.id, referencePriceTicks: referencePrice === undefined ? 0 : units(registry.priceToTicks(sym, referencePrice), 'referencePrice', referencePrice) }
    : { type, ...header, symbolId: sym.id };
  return outcome(await run(execute, command), () => ({ symbol: sym.name, status: statusName(STATUS_AFTER[type]) }));
}
