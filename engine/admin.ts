// Administrative commands: assets, accounts, symbols and their lifecycle, deposits and withdrawals.
// Ids are dense and handed out in order of creation, so every replica names things alike.
import { SymbolStatus, type AddAssetCommand, type AddSymbolCommand, type CreateAccountCommand, type ResumeSymbolCommand, type SymbolCommand, type TransferCommand } from './commands.ts';
import { newSymbolBook, type CoreState, type SymbolBook } from './core-state.ts';
import { ASSET_SCALE_MAX, BPS_PER_UNIT, NAME_LENGTH_MAX, PRICE_TICKS_LIMIT, SAFE_INTEGER_MAX } from './limits.ts';
import { cancelAllOfSymbol } from './amending.ts';
import { ResultCode } from './result-codes.ts';
import { CommandType, EventType } from './schema.ts';
import type { Asset } from './ledger.ts';

const NAME_PATTERN = /^[A-Za-z0-9._:@-]+$/;

/** Names are 1..NAME_LENGTH_MAX characters of letters, digits and `._:@-`. */
export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= NAME_LENGTH_MAX && NAME_PATTERN.test(name);
}

function reject(s: CoreState, commandType: number, code: number, symbolId = 0, accountId = 0): void {
  s.events.rejected(commandType, code, symbolId, accountId, 0, 0);
}

export function addAsset(s: CoreState, c: AddAssetCommand): void {
  const l = s.ledger;
  let code: number = ResultCode.OK;
  if (!isValidName(c.name)) code = ResultCode.BAD_NAME;
  else if (l.assetIdByName.has(c.name)) code = ResultCode.NAME_TAKEN;
  else if (!Number.isInteger(c.scale) || c.scale < 0 || c.scale > ASSET_SCALE_MAX) code = ResultCode.BAD_SCALE;
  else if (l.assets.length >= s.config.assetsMax) code = ResultCode.ASSETS_MAX;
  if (code !== ResultCode.OK) return reject(s, CommandType.ADD_ASSET, code);
  const assetId = l.addAsset(c.name, c.scale);
  s.events.record(EventType.ASSET_ADDED, { assetId, scale: c.scale, name: c.name });
}

export function createAccount(s: CoreState, c: CreateAccountCommand): void {
  const l = s.ledger;
  let code: number = ResultCode.OK;
  if (!isValidName(c.name)) code = ResultCode.BAD_NAME;
  else if (l.accountIdByName.has(c.name)) code = ResultCode.NAME_TAKEN;
  else if (l.accountCount >= s.config.accountsMax) code = ResultCode.ACCOUNTS_MAX;
  if (code !== ResultCode.OK) return reject(s, CommandType.CREATE_ACCOUNT, code);
  const accountId = l.addAccount(c.name);
  s.events.record(EventType.ACCOUNT_CREATED, { accountId, name: c.name });
}

/**
 * OK, or why a symbol's parameters are unusable. Beyond the domains of each field, the largest
 * notional (price max x quantity max x quote units per tick-lot) and the largest base amount must
 * be safe integers, so that no fill, reservation or fee can ever overflow.
 */
export function checkSymbolSpec(s: CoreState, c: AddSymbolCommand): number {
  const assets = s.ledger.assets;
  if (!isValidName(c.name)) return ResultCode.BAD_NAME;
  if (s.symbolIdByName.has(c.name)) return ResultCode.NAME_TAKEN;
  if (assets[c.baseAssetId] === undefined || assets[c.quoteAssetId] === undefined) return ResultCode.UNKNOWN_ASSET;
  if (c.baseAssetId === c.quoteAssetId) return ResultCode.SAME_ASSET;
  const positive = [c.baseUnitsPerLot, c.quoteUnitsPerTickLot, c.minQtyLots, c.maxQtyLots, c.priceTicksMax];
  if (!positive.every((n) => Number.isSafeInteger(n) && n >= 1)) return ResultCode.BAD_SYMBOL_PARAMS;
  if (!Number.isSafeInteger(c.referencePriceTicks) || c.referencePriceTicks < 0 || c.referencePriceTicks > c.priceTicksMax) return ResultCode.BAD_SYMBOL_PARAMS;
  if (c.minQtyLots > c.maxQtyLots || c.priceTicksMax > PRICE_TICKS_LIMIT) return ResultCode.BAD_SYMBOL_PARAMS;
  const bps = [c.bandBps, c.makerFeeBps, c.takerFeeBps, c.protectionBps];
  if (!bps.every((n) => Number.isInteger(n) && n >= 0 && n <= BPS_PER_UNIT)) return ResultCode.BAD_SYMBOL_PARAMS;
  const notionalMax = BigInt(c.priceTicksMax) * BigInt(c.maxQtyLots) * BigInt(c.quoteUnitsPerTickLot);
  const baseMax = BigInt(c.maxQtyLots) * BigInt(c.baseUnitsPerLot);
  if (notionalMax > BigInt(SAFE_INTEGER_MAX) || baseMax > BigInt(SAFE_INTEGER_MAX)) return ResultCode.BAD_SYMBOL_PARAMS;
  if (s.symbols.length >= s.config.symbolsMax) return ResultCode.SYMBOLS_MAX;
  return ResultCode.OK;
}

export function addSymbol(s: CoreState, c: AddSymbolCommand): void {
  const code = checkSymbolSpec(s, c);
  if (code !== ResultCode.OK) return reject(s, CommandType.ADD_SYMBOL, code);
  const symbolId = s.symbols.length;
  const spec = {
    name: c.name, baseAssetId: c.baseAssetId, quoteAssetId: c.quoteAssetId, baseUnitsPerLot: c.baseUnitsPerLot,
    quoteUnitsPerTickLot: c.quoteUnitsPerTickLot, minQtyLots: c.minQtyLots, maxQtyLots: c.maxQtyLots, priceTicksMax: c.priceTicksMax,
    bandBps: c.bandBps, makerFeeBps: c.makerFeeBps, takerFeeBps: c.takerFeeBps, protectionBps: c.protectionBps,
  };
  s.symbols.push(newSymbolBook(symbolId, spec, SymbolStatus.TRADING, c.referencePriceTicks));
  s.symbolIdByName.set(c.name, symbolId);
  s.events.record(EventType.SYMBOL_ADDED, { symbolId, ...spec, referencePriceTicks: c.referencePriceTicks });
}

type LifecycleCommand =
  | SymbolCommand<typeof CommandType.HALT_SYMBOL>
  | ResumeSymbolCommand
  | SymbolCommand<typeof CommandType.CLOSE_SYMBOL>;

/** Halt stops trading (cancels still work); resume restarts it; close ends every order for good. */
export function changeSymbolStatus(s: CoreState, c: LifecycleCommand): void {
  const sym = s.symbols[c.symbolId];
  const code = sym === undefined ? ResultCode.UNKNOWN_SYMBOL : lifecycleCode(sym, c);
  if (code !== ResultCode.OK || sym === undefined) return reject(s, c.type, code, c.symbolId);
  if (c.type === CommandType.HALT_SYMBOL) sym.status = SymbolStatus.HALTED;
  else if (c.type === CommandType.RESUME_SYMBOL) {
    sym.status = SymbolStatus.TRADING;
    if (c.referencePriceTicks > 0) sym.referencePriceTicks = c.referencePriceTicks;
  } else {
    cancelAllOfSymbol(s, sym);
    sym.status = SymbolStatus.CLOSED;
  }
  s.events.symbolStatus(sym.id, sym.status, sym.referencePriceTicks);
}

function lifecycleCode(sym: SymbolBook, c: LifecycleCommand): number {
  if (sym.status === SymbolStatus.CLOSED) return ResultCode.SYMBOL_CLOSED;
  if (c.type === CommandType.HALT_SYMBOL && sym.status === SymbolStatus.HALTED) return ResultCode.SYMBOL_HALTED;
  if (c.type === CommandType.RESUME_SYMBOL) {
    if (sym.status !== SymbolStatus.HALTED) return ResultCode.SYMBOL_NOT_HALTED;
    const ok = Number.isSafeInteger(c.referencePriceTicks) && c.referencePriceTicks >= 0 && c.referencePriceTicks <= sym.spec.priceTicksMax;
    if (!ok) return ResultCode.BAD_SYMBOL_PARAMS;
  }
  return ResultCode.OK;
}

type Transfer = TransferCommand<typeof CommandType.DEPOSIT> | TransferCommand<typeof CommandType.WITHDRAW>;

/**
 * Deposits add to available; withdrawals take from it. The total ever held of an asset stays a
 * safe integer (BALANCE_OVERFLOW otherwise), which bounds every balance, reservation and fee.
 */
export function transfer(s: CoreState, c: Transfer): void {
  const l = s.ledger;
  const asset = l.assets[c.assetId];
  const code = transferCode(s, c, asset);
  if (code !== ResultCode.OK || asset === undefined) return reject(s, c.type, code, 0, c.accountId);
  const deposit = c.type === CommandType.DEPOSIT;
  asset.netDeposited += deposit ? c.amount : -c.amount;
  asset.available[c.accountId] = (asset.available[c.accountId] as number) + (deposit ? c.amount : -c.amount);
  s.ledger.touch(c.assetId, c.accountId);
}

function transferCode(s: CoreState, c: Transfer, asset: Asset | undefined): number {
  if (!Number.isInteger(c.accountId) || c.accountId < 0 || c.accountId >= s.ledger.accountCount) return ResultCode.UNKNOWN_ACCOUNT;
  if (asset === undefined) return ResultCode.UNKNOWN_ASSET;
  if (!Number.isSafeInteger(c.amount)) return ResultCode.NOT_SAFE_INTEGER;
  if (c.amount < 1) return ResultCode.AMOUNT_NOT_POSITIVE;
  if (c.type === CommandType.DEPOSIT) {
    return asset.netDeposited + c.amount > SAFE_INTEGER_MAX ? ResultCode.BALANCE_OVERFLOW : ResultCode.OK;
  }
  return (asset.available[c.accountId] as number) < c.amount ? ResultCode.INSUFFICIENT_BALANCE : ResultCode.OK;
}
