// Assets, accounts and balances. Each asset has a column of available and reserved amounts indexed
// by account id, plus running totals that the conservation law is checked against:
// per asset, sum(available) + sum(reserved) + feesCollected = netDeposited (deposits - withdrawals).
import { NIL } from './order-store.ts';

const INITIAL_CAPACITY_ACCOUNTS = 64;

export interface Asset {
  readonly name: string;
  /** Decimal places of the minor unit. */
  readonly scale: number;
  /** Deposits minus withdrawals, ever. */
  netDeposited: number;
  feesCollected: number;
  available: Float64Array;
  reserved: Float64Array;
  /** The sequence of the command that last touched the account's balance, to report each change once. */
  touchedSeq: Float64Array;
}

const TOUCHED_INITIAL_CAPACITY = 64;

export class Ledger {
  readonly assets: Asset[] = [];
  readonly assetIdByName = new Map<string, number>();
  readonly accountNames: string[] = [];
  readonly accountIdByName = new Map<string, number>();
  private capacity = INITIAL_CAPACITY_ACCOUNTS;
  /** The account's live orders, oldest first (intrusive list through OrderStore.accountPrev/Next). */
  orderHead = new Int32Array(INITIAL_CAPACITY_ACCOUNTS).fill(NIL);
  orderTail = new Int32Array(INITIAL_CAPACITY_ACCOUNTS).fill(NIL);
  orderCount = new Int32Array(INITIAL_CAPACITY_ACCOUNTS);

  constructor(readonly accountsMax: number) {}

  get accountCount(): number {
    return this.accountNames.length;
  }

  addAsset(name: string, scale: number): number {
    const id = this.assets.length;
    this.assets.push({
      name, scale, netDeposited: 0, feesCollected: 0,
      available: new Float64Array(this.capacity), reserved: new Float64Array(this.capacity), touchedSeq: new Float64Array(this.capacity),
    });
    this.assetIdByName.set(name, id);
    return id;
  }

  addAccount(name: string): number {
    const id = this.accountNames.length;
    if (id === this.capacity) this.grow(Math.min(this.capacity * 2, Math.max(this.accountsMax, 1)));
    this.accountNames.push(name);
    this.accountIdByName.set(name, id);
    return id;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array) => { const n = new Float64Array(capacity); n.set(a); return n; };
    const i32 = (a: Int32Array, fill: number) => { const n = new Int32Array(capacity).fill(fill); n.set(a); return n; };
    for (const asset of this.assets) {
      asset.available = f64(asset.available);
      asset.reserved = f64(asset.reserved);
      asset.touchedSeq = f64(asset.touchedSeq);
    }
    this.orderHead = i32(this.orderHead, NIL);
    this.orderTail = i32(this.orderTail, NIL);
    this.orderCount = i32(this.orderCount, 0);
    this.capacity = capacity;
  }

  /** Moves `amount` from available to reserved; false (and nothing moved) when available is short. */
  reserve(assetId: number, accountId: number, amount: number): boolean {
    const asset = this.assets[assetId] as Asset;
    const available = asset.available[accountId] as number;
    if (available < amount) return false;
    asset.available[accountId] = available - amount;
    asset.reserved[accountId] = (asset.reserved[accountId] as number) + amount;
    this.touch(assetId, accountId);
    return true;
  }

  unreserve(assetId: number, accountId: number, amount: number): void {
    const asset = this.assets[assetId] as Asset;
    asset.reserved[accountId] = (asset.reserved[accountId] as number) - amount;
    asset.available[accountId] = (asset.available[accountId] as number) + amount;
    this.touch(assetId, accountId);
  }

  // The balances the current command changed, each once, in order of first change: the engine
  // reports them when the command ends (BALANCE_CHANGED), so every balance change is an event.
  private touchedAssetIds = new Int32Array(TOUCHED_INITIAL_CAPACITY);
  private touchedAccountIds = new Int32Array(TOUCHED_INITIAL_CAPACITY);
  touchedCount = 0;
  /** The command being applied; set by the engine. */
  seqCurrent = 0;

  touch(assetId: number, accountId: number): void {
    const asset = this.assets[assetId] as Asset;
    if (asset.touchedSeq[accountId] === this.seqCurrent) return;
    asset.touchedSeq[accountId] = this.seqCurrent;
    if (this.touchedCount === this.touchedAssetIds.length) {
      const assets = new Int32Array(this.touchedCount * 2);
      assets.set(this.touchedAssetIds);
      this.touchedAssetIds = assets;
      const accounts = new Int32Array(this.touchedCount * 2);
      accounts.set(this.touchedAccountIds);
      this.touchedAccountIds = accounts;
    }
    this.touchedAssetIds[this.touchedCount] = assetId;
    this.touchedAccountIds[this.touchedCount] = accountId;
    this.touchedCount++;
  }

  touchedAssetAt(i: number): number {
    return this.touchedAssetIds[i] as number;
  }

  touchedAccountAt(i: number): number {
    return this.touchedAccountIds[i] as number;
  }
}
