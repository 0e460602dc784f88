// The core as one resource: apply(command) -> events, with no clock, randomness, I/O or await.
// Time arrives in each command; the same commands give the same events and state hash, byte for byte.
import { addAsset, addSymbol, changeSymbolStatus, createAccount, transfer } from './admin.ts';
import { cancel, massCancel, replace } from './amending.ts';
import { decodeCommand, type Command } from './commands.ts';
import { CoreState } from './core-state.ts';
import { DEFAULT_ENGINE_CONFIG, validateEngineConfig, type EngineConfig } from './limits.ts';
import { place } from './placing.ts';
import { ResultCode } from './result-codes.ts';
import { CommandType, readU64, SEQ_OFFSET_BYTES, TIME_US_OFFSET_BYTES } from './schema.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot.ts';
import { stateHashOf } from './state-hash.ts';
import { expireDue } from './triggers.ts';
import { verifyState } from './verify.ts';
import type { EventWriter } from './event-writer.ts';
import type { Asset } from './ledger.ts';

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}

export class Engine {
  readonly state: CoreState;

  constructor(config: EngineConfig = DEFAULT_ENGINE_CONFIG, state?: CoreState) {
    validateEngineConfig(config);
    this.state = state ?? new CoreState(config);
  }

  static fromSnapshot(bytes: Uint8Array): Engine {
    const state = decodeSnapshot(bytes);
    return new Engine(state.config, state);
  }

  /** Events appended by apply() since the caller last cleared them. */
  get events(): EventWriter {
    return this.state.events;
  }

  get seqLast(): number {
    return this.state.seqLast;
  }

  /**
   * Applies one sequenced command and appends its events. Business outcomes are events (a
   * rejection is an event with a result code); an exception means a bug or a broken sequencer:
   * commands must arrive with seq = seqLast + 1 and a time that never goes backwards.
   */
  apply(c: Command): void {
    this.begin(c.seq, c.timeUs);
    this.dispatch(c);
    this.reportBalances(c.type, c.type === CommandType.DEPOSIT || c.type === CommandType.WITHDRAW ? c.amount : 0);
  }

  private dispatch(c: Command): void {
    const s = this.state;
    switch (c.type) {
      case CommandType.PLACE: return place(s, c);
      case CommandType.CANCEL: return cancel(s, c);
      case CommandType.REPLACE: return replace(s, c);
      case CommandType.MASS_CANCEL: return massCancel(s, c);
      case CommandType.ADD_ASSET: return addAsset(s, c);
      case CommandType.CREATE_ACCOUNT: return createAccount(s, c);
      case CommandType.ADD_SYMBOL: return addSymbol(s, c);
      case CommandType.HALT_SYMBOL:
      case CommandType.RESUME_SYMBOL:
      case CommandType.CLOSE_SYMBOL: return changeSymbolStatus(s, c);
      case CommandType.DEPOSIT:
      case CommandType.WITHDRAW: return transfer(s, c);
      case CommandType.CLOCK: return;
      default: return assertNever(c);
    }
  }

  /** One BALANCE_CHANGED per balance the command changed (expiries before it included), with its final values. */
  private reportBalances(commandType: number, amount: number): void {
    const l = this.state.ledger;
    for (let i = 0; i < l.touchedCount; i++) {
      const assetId = l.touchedAssetAt(i);
      const accountId = l.touchedAccountAt(i);
      const asset = l.assets[assetId] as Asset;
      this.state.events.balanceChanged(accountId, assetId, commandType, amount, asset.available[accountId] as number, asset.reserved[accountId] as number);
    }
    l.touchedCount = 0;
  }

  /** Applies one binary command record; a type byte naming no command is rejected with UNKNOWN_COMMAND. */
  applyRecord(view: DataView, offset: number): void {
    const command = decodeCommand(view, offset);
    if (command !== undefined) return this.apply(command);
    this.begin(readU64(view, offset + SEQ_OFFSET_BYTES), readU64(view, offset + TIME_US_OFFSET_BYTES));
    this.state.events.rejected(view.getUint8(offset), ResultCode.UNKNOWN_COMMAND, 0, 0, 0, 0);
    this.reportBalances(view.getUint8(offset), 0);
  }

  private begin(seq: number, timeUs: number): void {
    const s = this.state;
    if (seq !== s.seqLast + 1) throw new Error(`command seq ${seq} does not follow ${s.seqLast}`);
    if (!Number.isSafeInteger(timeUs) || timeUs < s.timeUsLast) throw new Error(`command time ${timeUs} goes back from ${s.timeUsLast}`);
    s.seqLast = seq;
    s.timeUsLast = timeUs;
    s.matchesInCommand = 0;
    s.ledger.seqCurrent = seq;
    s.events.begin(seq, timeUs);
    expireDue(s, timeUs);
  }

  /** Checks every invariant of books, indexes, lists and money (O(state)); throws on the first broken one. */
  verify(): void {
    verifyState(this.state);
  }

  encodeSnapshot(): Uint8Array {
    return encodeSnapshot(this.state);
  }

  /** SHA-256 (hex) of the canonical snapshot encoding: equal hashes mean equal states. */
  stateHash(): string {
    return stateHashOf(this.encodeSnapshot());
  }
}
