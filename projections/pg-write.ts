// Writes one folded batch inside the caller's transaction, in two steps. stageBatch COPYs the bulk in
// binary: new orders, fills and ledger rows straight into their tables (rows no other batch touches,
// invisible until the commit), order patches and balances into the session's staging tables; so it
// may run while the previous batch is still being applied. applyStaged, once that batch committed,
// writes the rare admin rows (assets, accounts, symbols, symbol changes) and applies the staged rows
// with one statement that also moves the cursor from where this projector left it, and aborts when
// it did not find it there.
import type pg from 'pg';
import type { OrderRow } from './order-rows.ts';
import { copyInto, type CopyColumn, type CopyType, type CopyValue } from './pg-copy.ts';
import type { PgRows } from './pg-fold.ts';
import { APPLY_STAGED, prepareStaging } from './pg-staging.ts';

export class ProjectionConsistencyError extends Error {
  override name = 'ProjectionConsistencyError';
}

/** SQLSTATE raised by projection_check() (migration 1). */
export const PROJECTION_CHECK_SQLSTATE = 'PJ001';

/** A PostgreSQL array literal; text is always quoted, so no value can read as NULL or break the syntax. */
function arrayLiteral(values: readonly CopyValue[], type: CopyType): string {
  if (type !== 'text' && !values.includes(null)) return `{${values.join(',')}}`;
  const parts = values.map((v) => (v === null ? 'NULL' : type === 'text' ? `"${String(v).replace(/["\\]/g, '\\$&')}"` : String(v)));
  return `{${parts.join(',')}}`;
}

const col = <T>(rows: readonly T[], name: string, type: CopyType, pick: (row: T) => CopyValue): CopyColumn => ({ name, type, values: rows.map(pick) });

/** `INSERT INTO table (...) SELECT ... FROM unnest(...)`, one array parameter per column; `time` columns hold microseconds. */
async function insertRows(client: pg.ClientBase, table: string, columns: readonly (CopyColumn & { readonly time?: true })[]): Promise<void> {
  const selected = columns.map((c, i) => (c.time === true ? `projection_time(c${i})` : `c${i}`)).join(', ');
  const args = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  await client.query(`INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT ${selected} FROM unnest(${args}) AS v(${columns.map((_, i) => `c${i}`).join(', ')})`,
    columns.map((c) => arrayLiteral(c.values, c.type)));
}

async function writeAdminRows(client: pg.ClientBase, rows: PgRows): Promise<void> {
  const { assets, accounts, symbols } = rows;
  if (assets.length > 0) {
    await insertRows(client, 'assets', [col(assets, 'asset_id', 'integer', (a) => a.id), col(assets, 'name', 'text', (a) => a.name),
      col(assets, 'scale', 'smallint', (a) => a.scale), col(assets, 'created_seq', 'bigint', (a) => a.seq), { ...col(assets, 'created_at', 'bigint', (a) => a.timeUs), time: true }]);
  }
  if (accounts.length > 0) {
    await insertRows(client, 'accounts', [col(accounts, 'account_id', 'integer', (a) => a.id), col(accounts, 'name', 'text', (a) => a.name),
      col(accounts, 'created_seq', 'bigint', (a) => a.seq), { ...col(accounts, 'created_at', 'bigint', (a) => a.timeUs), time: true }]);
  }
  if (symbols.length > 0) {
    const field = (name: string, type: CopyType) => col(symbols, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), type, (r) => r.fields[name] as CopyValue);
    await insertRows(client, 'symbols', [
      col(symbols, 'symbol_id', 'integer', (r) => r.symbolId), field('name', 'text'), field('baseAssetId', 'integer'), field('quoteAssetId', 'integer'),
      col(symbols, 'tick_size', 'text', (r) => r.tickSize), col(symbols, 'lot_size', 'text', (r) => r.lotSize), field('baseUnitsPerLot', 'bigint'),
      field('quoteUnitsPerTickLot', 'bigint'), field('minQtyLots', 'bigint'), field('maxQtyLots', 'bigint'), field('priceTicksMax', 'bigint'), field('bandBps', 'integer'),
      field('makerFeeBps', 'integer'), field('takerFeeBps', 'integer'), field('protectionBps', 'integer'), col(symbols, 'status', 'text', (r) => r.change.status),
      col(symbols, 'reference_price_ticks', 'bigint', (r) => r.change.referencePriceTicks), col(symbols, 'last_price_ticks', 'bigint', (r) => r.change.lastPriceTicks),
      col(symbols, 'created_seq', 'bigint', (r) => r.seq), { ...col(symbols, 'created_at', 'bigint', (r) => r.timeUs), time: true },
      col(symbols, 'updated_seq', 'bigint', (r) => r.change.seq),
    ]);
  }
  if (rows.symbolChanges.size > 0) {
    const c = [...rows.symbolChanges].map(([symbolId, change]) => ({ symbolId, ...change }));
    await client.query(`UPDATE symbols s SET status = COALESCE(v.status, s.status), reference_price_ticks = COALESCE(v.reference, s.reference_price_ticks),
      last_price_ticks = COALESCE(v.last, s.last_price_ticks), updated_seq = v.updated_seq
      FROM unnest($1::integer[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS v(symbol_id, status, reference, last, updated_seq)
      WHERE s.symbol_id = v.symbol_id`, [
      arrayLiteral(c.map((x) => x.symbolId), 'integer'), arrayLiteral(c.map((x) => x.status), 'text'), arrayLiteral(c.map((x) => x.referencePriceTicks), 'bigint'),
      arrayLiteral(c.map((x) => x.lastPriceTicks), 'bigint'), arrayLiteral(c.map((x) => x.seq), 'bigint'),
    ]);
  }
}

function orderColumns(o: readonly OrderRow[]): CopyColumn[] {
  return [
    col(o, 'order_id', 'bigint', (r) => r.orderId), col(o, 'account_id', 'integer', (r) => r.accountId), col(o, 'symbol_id', 'integer', (r) => r.symbolId),
    col(o, 'client_order_id', 'bigint', (r) => r.clientOrderId), col(o, 'side', 'text', (r) => r.side), col(o, 'order_type', 'text', (r) => r.orderType),
    col(o, 'time_in_force', 'text', (r) => r.timeInForce), col(o, 'post_only', 'boolean', (r) => r.postOnly), col(o, 'stp', 'text', (r) => r.stp),
    col(o, 'price_ticks', 'bigint', (r) => r.priceTicks), col(o, 'qty_lots', 'bigint', (r) => r.qtyLots), col(o, 'stop_price_ticks', 'bigint', (r) => r.stopPriceTicks),
    col(o, 'display_qty_lots', 'bigint', (r) => r.displayQtyLots), col(o, 'quote_budget', 'bigint', (r) => r.quoteBudget), col(o, 'expires_at', 'timestamptz', (r) => r.expireTimeUs),
    col(o, 'linked_order_id', 'bigint', (r) => r.linkedOrderId), col(o, 'status', 'text', (r) => r.status), col(o, 'leaves_qty_lots', 'bigint', (r) => r.leavesQtyLots),
    col(o, 'visible_qty_lots', 'bigint', (r) => r.visibleQtyLots), col(o, 'filled_qty_lots', 'bigint', (r) => r.filledQtyLots), col(o, 'filled_quote', 'bigint', (r) => r.filledQuote),
    col(o, 'fees', 'bigint', (r) => r.fees), col(o, 'fill_count', 'integer', (r) => r.fillCount), col(o, 'cancel_code', 'integer', (r) => r.cancelCode),
    col(o, 'accepted_seq', 'bigint', (r) => r.acceptedSeq), col(o, 'accepted_at', 'timestamptz', (r) => r.acceptedAtUs), col(o, 'triggered_at', 'timestamptz', (r) => r.triggeredAtUs),
    col(o, 'rested_at', 'timestamptz', (r) => r.restedAtUs), col(o, 'last_fill_at', 'timestamptz', (r) => r.lastFillAtUs), col(o, 'closed_at', 'timestamptz', (r) => r.closedAtUs),
    col(o, 'updated_seq', 'bigint', (r) => r.updatedSeq), col(o, 'updated_event_index', 'bigint', (r) => r.updatedEventIndex),
  ];
}

/** COPYs the bulk of `rows` into the staging tables of `client`'s session, inside the transaction the caller opened. */
export async function stageBatch(client: pg.ClientBase, rows: PgRows): Promise<void> {
  await prepareStaging(client);
  if (rows.newOrders.length > 0) await copyInto(client, 'orders', orderColumns(rows.newOrders));
  if (rows.patches.size > 0) {
    const p = [...rows.patches].map(([orderId, patch]) => ({ orderId, ...patch }));
    await copyInto(client, 'projection_patches_in', [
      col(p, 'order_id', 'bigint', (r) => r.orderId), col(p, 'status', 'text', (r) => r.status), col(p, 'leaves', 'bigint', (r) => r.leavesQtyLots),
      col(p, 'visible_set', 'bigint', (r) => r.visibleSet), col(p, 'visible_sub', 'bigint', (r) => r.visibleSub), col(p, 'price', 'bigint', (r) => r.priceTicks),
      col(p, 'filled_add', 'bigint', (r) => r.filledQtyAdd), col(p, 'quote_add', 'bigint', (r) => r.filledQuoteAdd), col(p, 'fees_add', 'bigint', (r) => r.feesAdd),
      col(p, 'fills_add', 'integer', (r) => r.fillCountAdd), col(p, 'cancel_code', 'integer', (r) => r.cancelCode), col(p, 'triggered_at', 'timestamptz', (r) => r.triggeredAtUs),
      col(p, 'rested_at', 'timestamptz', (r) => r.restedAtUs), col(p, 'last_fill_at', 'timestamptz', (r) => r.lastFillAtUs), col(p, 'closed_at', 'timestamptz', (r) => r.closedAtUs),
      col(p, 'updated_seq', 'bigint', (r) => r.updatedSeq), col(p, 'updated_event_index', 'bigint', (r) => r.updatedEventIndex),
    ]);
  }
  const f = rows.fills;
  if (f.eventIndex.length > 0) {
    const c = (name: string, type: CopyType, values: readonly CopyValue[]): CopyColumn => ({ name, type, values });
    await copyInto(client, 'fills', [
      c('event_index', 'bigint', f.eventIndex), c('seq', 'bigint', f.seq), c('symbol_id', 'integer', f.symbolId), c('price_ticks', 'bigint', f.priceTicks),
      c('qty_lots', 'bigint', f.qtyLots), c('quote_amount', 'bigint', f.quoteAmount), c('taker_side', 'text', f.takerSide), c('taker_order_id', 'bigint', f.takerOrderId),
      c('maker_order_id', 'bigint', f.makerOrderId), c('taker_account_id', 'integer', f.takerAccountId), c('maker_account_id', 'integer', f.makerAccountId),
      c('taker_client_order_id', 'bigint', f.takerClientOrderId), c('maker_client_order_id', 'bigint', f.makerClientOrderId), c('taker_fee', 'bigint', f.takerFee),
      c('maker_fee', 'bigint', f.makerFee), c('taker_fee_asset_id', 'integer', f.takerFeeAssetId), c('maker_fee_asset_id', 'integer', f.makerFeeAssetId),
      c('executed_at', 'timestamptz', f.timeUs),
    ]);
  }
  const l = rows.ledger;
  if (l.eventIndex.length > 0) {
    await copyInto(client, 'ledger', [
      { name: 'event_index', type: 'bigint', values: l.eventIndex }, { name: 'seq', type: 'bigint', values: l.seq }, { name: 'account_id', type: 'integer', values: l.accountId },
      { name: 'asset_id', type: 'integer', values: l.assetId }, { name: 'command', type: 'text', values: l.command }, { name: 'available', type: 'bigint', values: l.available },
      { name: 'reserved', type: 'bigint', values: l.reserved }, { name: 'available_delta', type: 'bigint', values: l.availableDelta },
      { name: 'reserved_delta', type: 'bigint', values: l.reservedDelta }, { name: 'changed_at', type: 'timestamptz', values: l.timeUs },
    ]);
  }
  if (rows.balances.size > 0) {
    const b = [...rows.balances.values()];
    await copyInto(client, 'projection_balances_in', [
      col(b, 'account_id', 'integer', (r) => r.accountId), col(b, 'asset_id', 'integer', (r) => r.assetId), col(b, 'available', 'bigint', (r) => r.available),
      col(b, 'reserved', 'bigint', (r) => r.reserved), col(b, 'last_event_index', 'bigint', (r) => r.eventIndex), col(b, 'last_seq', 'bigint', (r) => r.seq),
      col(b, 'updated_at', 'timestamptz', (r) => r.timeUs),
    ]);
  }
}

/** Writes what stageBatch staged (and the admin rows) and moves the cursor from `lastEventIndexExpected`. */
export async function applyStaged(client: pg.ClientBase, rows: PgRows, lastEventIndexExpected: number): Promise<void> {
  await writeAdminRows(client, rows);
  await client.query(APPLY_STAGED, [rows.eventIndexLast, rows.commandSeqLast, lastEventIndexExpected, lastEventIndexExpected + 1]);
}
