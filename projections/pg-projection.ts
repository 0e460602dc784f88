// The PostgreSQL projection. Each batch is folded into rows and written in ONE transaction that also
// moves the cursor row, and only from where this projector left it: a crash or a dropped connection
// at any point leaves either the whole batch with its cursor or neither, and resume() reads the
// cursor back, so every event is applied exactly once.
// Batches overlap on the pool's connections: while batch N's statement runs, batches N+1 and N+2 are
// folded and COPYed into their own sessions' staging tables; each one's statement starts only once
// the batch before it has committed (it must see its rows), so the commits stay in log order. The
// database then has the next batches' COPYs to work on while the projector folds, and the projector
// folds while the database works. A failure anywhere surfaces at a later apply() or idle() (the
// batches after a failed one fail with it), and resume() first lets whatever is in flight settle.
import type pg from 'pg';
import { BalanceCache } from './balance-cache.ts';
import { ProjectionCatalog } from './catalog.ts';
import type { EventBatch } from './event-batch.ts';
import { foldPgBatch, type PgRows } from './pg-fold.ts';
import { migrate } from './pg-migrate.ts';
import { withConnection } from './pg-pool.ts';
import { PROJECTION_CHECK_SQLSTATE, ProjectionConsistencyError, applyStaged, stageBatch } from './pg-write.ts';
import type { EventKey, ProjectionStore, ResumePoint } from './store.ts';

/** Batches being written at once; the pool has a connection for each (pg-pool.ts). */
export const PG_WRITES_IN_FLIGHT_MAX = 3;
/** The cursor row's key: one PostgreSQL projection per schema. */
const CURSOR_NAME = 'events';
const NONE: EventKey = { eventIndex: -1, commandSeq: 0 };
/**
 * The batch's COMMIT returns without waiting for its WAL to reach the disk. Safe because the cursor
 * row commits atomically with the rows: a database crash loses at most the last few commits, whole and
 * in order (WAL replays a prefix), and resume() reads back the cursor that survived, so the lost
 * batches are written again from the log and nothing is doubled or dropped. Only the lag the projector
 * reports may run ahead of what is durable for those few milliseconds.
 */
const BEGIN_ASYNC_COMMIT = 'BEGIN; SET LOCAL synchronous_commit = off';
/** A batch's rows (keyed by event index, or order id and seq) found already there. */
const UNIQUE_VIOLATION_SQLSTATE = '23505';

interface SymbolSpecRow {
  symbol_id: number;
  name: string;
  base_asset_id: number;
  quote_asset_id: number;
  base_units_per_lot: string;
  quote_units_per_tick_lot: string;
  min_qty_lots: string;
  max_qty_lots: string;
  price_ticks_max: string;
  band_bps: number;
  maker_fee_bps: number;
  taker_fee_bps: number;
  protection_bps: number;
}

export interface PgProjectionOptions {
  /** Apply pending migrations before the first resume. */
  readonly migrateOnStart: boolean;
}

export class PgProjection implements ProjectionStore {
  readonly name = 'postgres';
  #catalog = new ProjectionCatalog();
  /** The last event committed. */
  #stored: EventKey = NONE;
  /** The last event handed to apply(): committed, or in flight. */
  #accepted: EventKey = NONE;
  /** Balances as the folded batches left them (committed or in flight). */
  #balances = new BalanceCache();
  /** The batches being written, oldest first; each settles when committed or rolled back. */
  #inflight: Promise<void>[] = [];
  #migrated = false;

  constructor(private readonly pool: pg.Pool, private readonly options: PgProjectionOptions) {}

  get eventIndexStored(): number {
    return this.#stored.eventIndex + 1;
  }

  async resume(): Promise<ResumePoint> {
    await this.settle();
    if (this.options.migrateOnStart && !this.#migrated) {
      await migrate(this.pool);
      this.#migrated = true;
    }
    const cursor = await this.pool.query<{ last_event_index: string; last_command_seq: string }>(
      'SELECT last_event_index, last_command_seq FROM projection_cursor WHERE projection = $1', [CURSOR_NAME]);
    const row = cursor.rows[0];
    if (row === undefined) throw new ProjectionConsistencyError(`projection_cursor has no row '${CURSOR_NAME}': run the migrations`);
    this.#stored = { eventIndex: Number(row.last_event_index), commandSeq: Number(row.last_command_seq) };
    this.#accepted = this.#stored;
    this.#catalog = await this.loadCatalog();
    this.#balances = new BalanceCache();
    return { eventIndexNext: this.#stored.eventIndex + 1, last: this.#stored.eventIndex < 0 ? null : this.#stored };
  }

  /** Folds the batch and starts writing it; resolves once fewer than PG_WRITES_IN_FLIGHT_MAX batches are being written. */
  async apply(batch: EventBatch): Promise<void> {
    const expected = this.#accepted.eventIndex;
    if (batch.eventIndexFirst !== expected + 1) throw new RangeError(`batch starts at event ${batch.eventIndexFirst}, the projection is at ${expected}`);
    await this.#balances.load(this.pool, batch);
    const rows = foldPgBatch(batch, this.#catalog, this.#balances);
    this.#accepted = { eventIndex: rows.eventIndexLast, commandSeq: rows.commandSeqLast };
    const writing = this.write(rows, expected, this.#inflight.at(-1) ?? null);
    // Awaited by a later apply(), idle() or resume(); marked handled so that a failure is not fatal meanwhile.
    writing.catch(() => undefined);
    this.#inflight.push(writing);
    while (this.#inflight.length >= PG_WRITES_IN_FLIGHT_MAX) await this.#inflight.shift();
  }

  /** Commits what is in flight, so that a quiet log leaves nothing unwritten. */
  async idle(): Promise<void> {
    const inflight = this.#inflight;
    this.#inflight = [];
    // All of them: a batch can fail before the one ahead of it has settled.
    const failed = (await Promise.allSettled(inflight)).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async close(): Promise<void> {
    await this.settle();
    await this.pool.end();
  }

  /** Waits until nothing is in flight, whatever the outcome. */
  private async settle(): Promise<void> {
    await Promise.allSettled(this.#inflight);
    this.#inflight = [];
  }

  private async write(rows: PgRows, expected: number, previous: Promise<void> | null): Promise<void> {
    await withConnection(this.pool, async (client) => {
      await client.query(BEGIN_ASYNC_COMMIT);
      try {
        await stageBatch(client, rows);
        await previous;
        await applyStaged(client, rows, expected);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: unknown }).code;
        if (code === PROJECTION_CHECK_SQLSTATE) throw new ProjectionConsistencyError((error as Error).message, { cause: error });
        if (code === UNIQUE_VIOLATION_SQLSTATE) throw new ProjectionConsistencyError(`rows of events ${expected + 1}..${rows.eventIndexLast} are already stored: is a second projector writing?`, { cause: error });
        throw error;
      }
    });
    this.#stored = { eventIndex: rows.eventIndexLast, commandSeq: rows.commandSeqLast };
  }

  private async loadCatalog(): Promise<ProjectionCatalog> {
    const catalog = new ProjectionCatalog();
    const assets = await this.pool.query<{ asset_id: number; name: string; scale: number }>('SELECT asset_id, name, scale FROM assets ORDER BY asset_id');
    for (const [index, a] of assets.rows.entries()) {
      if (a.asset_id !== index) throw new ProjectionConsistencyError(`assets are not dense: id ${a.asset_id} at position ${index}`);
      catalog.addAsset(a.name, a.scale);
    }
    const symbols = await this.pool.query<SymbolSpecRow>('SELECT * FROM symbols ORDER BY symbol_id');
    for (const [index, s] of symbols.rows.entries()) {
      if (s.symbol_id !== index) throw new ProjectionConsistencyError(`symbols are not dense: id ${s.symbol_id} at position ${index}`);
      catalog.addSymbol({
        name: s.name, baseAssetId: s.base_asset_id, quoteAssetId: s.quote_asset_id, baseUnitsPerLot: Number(s.base_units_per_lot),
        quoteUnitsPerTickLot: Number(s.quote_units_per_tick_lot), minQtyLots: Number(s.min_qty_lots), maxQtyLots: Number(s.max_qty_lots),
        priceTicksMax: Number(s.price_ticks_max), bandBps: s.band_bps, makerFeeBps: s.maker_fee_bps, takerFeeBps: s.taker_fee_bps, protectionBps: s.protection_bps,
      });
    }
    return catalog;
  }
}
