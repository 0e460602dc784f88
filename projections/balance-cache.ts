// The balances as the folded batches left them, so that each ledger row can carry its change (the
// balance before it is the previous change's, or the stored one). Balances a batch touches for the
// first time are read from the database before the batch is folded; those are committed values no
// batch in flight has changed, since a batch in flight put every balance it changed here.
import type pg from 'pg';
import { EventType } from '../engine/schema.ts';
import { eventOffset, type EventBatch } from './event-batch.ts';
import { BALANCE, u32 } from './event-fields.ts';

/** Balances are keyed by account and asset in one number. */
export const ASSET_IDS_MAX = 1 << 16;

export function balanceKey(accountId: number, assetId: number): number {
  if (assetId >= ASSET_IDS_MAX) throw new RangeError(`asset id ${assetId} is not below ${ASSET_IDS_MAX}`);
  return accountId * ASSET_IDS_MAX + assetId;
}

export interface BalanceAmounts {
  readonly available: number;
  readonly reserved: number;
}

const ZERO: BalanceAmounts = { available: 0, reserved: 0 };

export class BalanceCache {
  readonly #amounts = new Map<number, BalanceAmounts>();

  get(key: number): BalanceAmounts {
    const amounts = this.#amounts.get(key);
    if (amounts === undefined) throw new Error(`balance ${key} was not loaded before the batch was folded`);
    return amounts;
  }

  set(key: number, amounts: BalanceAmounts): void {
    this.#amounts.set(key, amounts);
  }

  /** Reads from `pool` the stored balances `batch` changes that are not here yet (never stored: zero). */
  async load(pool: pg.Pool, batch: EventBatch): Promise<void> {
    const accounts: number[] = [];
    const assets: number[] = [];
    const wanted = new Set<number>();
    for (let i = 0; i < batch.count; i++) {
      const at = eventOffset(i);
      if (batch.view.getUint8(at) !== EventType.BALANCE_CHANGED) continue;
      const accountId = u32(batch.view, at + BALANCE.accountId);
      const assetId = u32(batch.view, at + BALANCE.assetId);
      const key = balanceKey(accountId, assetId);
      if (this.#amounts.has(key) || wanted.has(key)) continue;
      wanted.add(key);
      accounts.push(accountId);
      assets.push(assetId);
    }
    if (wanted.size === 0) return;
    const stored = await pool.query<{ account_id: number; asset_id: number; available: string; reserved: string }>(
      `SELECT b.account_id, b.asset_id, b.available, b.reserved FROM balances b
       JOIN unnest($1::integer[], $2::integer[]) AS k(account_id, asset_id) USING (account_id, asset_id)`, [`{${accounts.join(',')}}`, `{${assets.join(',')}}`]);
    for (const row of stored.rows) this.#amounts.set(balanceKey(row.account_id, row.asset_id), { available: Number(row.available), reserved: Number(row.reserved) });
    for (const key of wanted) if (!this.#amounts.has(key)) this.#amounts.set(key, ZERO);
  }
}
