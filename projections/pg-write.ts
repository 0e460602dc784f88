// Writes one folded batch inside the caller's transaction, in two steps. stageBatch COPYs the bulk in
// binary: new orders, fills and ledger rows straight into their tables (rows no other batch touches,
// invisible until the commit), order patches and balances into the session's staging tables; so it
// may run while the previous batch is still being applied. applyStaged, once that batch committed,
// writes the rare admin rows (assets, accounts, symbols, symbol changes) and applies the staged rows
// with one statement that also moves the cursor from where this projector left it, and aborts when
// it did not find it there.
import type pg from 'pg';
import { CopyWriter, copyInto } from './pg-copy.ts';
import type { PgRows } from './pg-fold.ts';
import { BALANCES, FILLS, LEDGER, ORDERS, ORDER_PATCHES, writeBalance, writeOrder, writeOrderPatch, type CopyTable } from './pg-rows.ts';
import { APPLY_STAGED, prepareStaging } from './pg-staging.ts';

export class ProjectionConsistencyError extends Error {
  override name = 'ProjectionConsistencyError';
}

/** SQLSTATE raised by projection_check() (migration 1). */
export const PROJECTION_CHECK_SQLSTATE = 'PJ001';

type SqlType = 'bigint' | 'integer' | 'smallint' | 'text';
type SqlValue = number | string | null;

interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly values: readonly SqlValue[];
}

/** A PostgreSQL array literal; text is always quoted, so no value can read as NULL or break the syntax. */
function arrayLiteral(values: readonly SqlValue[], type: SqlType): string {
  if (type !== 'text' && !values.includes(null)) return `{${values.join(',')}}`;
  const parts = values.map((v) => (v === null ? 'NULL' : type === 'text' ? `"${String(v).replace(/["\\]/g, '\\$&')}"` : String(v)));
  return `{${parts.join(',')}}`;
}

const col = <T>(rows: readonly T[], name: string, type: SqlType, pick: (row: T) => SqlValue): Column => ({ name, type, values: rows.map(pick) });

/** `INSERT INTO table (...) SELECT ... FROM unnest(...)`, one array parameter per column; `time` columns hold microseconds. */
async function insertRows(client: pg.ClientBase, table: string, columns: readonly (Column & { readonly time?: true })[]): Promise<void> {
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
    const field = (name: string, type: SqlType) => col(symbols, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), type, (r) => r.fields[name] as SqlValue);
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

/** COPYs `rows` into `into`, each written by `write`. */
async function copyRows<T>(client: pg.ClientBase, into: CopyTable, rows: Iterable<T>, write: (w: CopyWriter, row: T) => void): Promise<void> {
  const w = new CopyWriter();
  for (const row of rows) write(w, row);
  if (w.rows > 0) await copyInto(client, into.table, into.columns, w.finish());
}

/** COPYs the bulk of `rows` into their tables and the staging tables of `client`'s session, inside the transaction the caller opened. */
export async function stageBatch(client: pg.ClientBase, rows: PgRows): Promise<void> {
  await prepareStaging(client);
  await copyRows(client, ORDERS, rows.newOrders, writeOrder);
  await copyRows(client, ORDER_PATCHES, rows.patches, (w, [orderId, patch]) => writeOrderPatch(w, orderId, patch));
  if (rows.fills.rows > 0) await copyInto(client, FILLS.table, FILLS.columns, rows.fills.finish());
  if (rows.ledger.rows > 0) await copyInto(client, LEDGER.table, LEDGER.columns, rows.ledger.finish());
  await copyRows(client, BALANCES, rows.balances.values(), writeBalance);
}

/** Writes what stageBatch staged (and the admin rows) and moves the cursor from `lastEventIndexExpected`. */
export async function applyStaged(client: pg.ClientBase, rows: PgRows, lastEventIndexExpected: number): Promise<void> {
  await writeAdminRows(client, rows);
  await client.query(APPLY_STAGED, [rows.eventIndexLast, rows.commandSeqLast, lastEventIndexExpected, lastEventIndexExpected + 1]);
}
