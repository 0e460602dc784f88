// The session's staging tables, for the rows COPY cannot write where they belong: order patches
// (an UPDATE) and balances (an upsert). Temporary (no WAL, no indexes, emptied at every commit);
// one statement then applies them, moves the cursor and checks.
import type pg from 'pg';

const STAGING_DDL = `
CREATE TEMP TABLE IF NOT EXISTS projection_balances_in (LIKE balances) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS projection_patches_in (
  order_id bigint, status text, leaves bigint, visible_set bigint, visible_sub bigint, price bigint, filled_add bigint, quote_add bigint,
  fees_add bigint, fills_add integer, cancel_code integer, triggered_at timestamptz, rested_at timestamptz, last_fill_at timestamptz,
  closed_at timestamptz, updated_seq bigint, updated_event_index bigint
) ON COMMIT DELETE ROWS;`;

/** Connections (by their pool client) whose session already has the staging tables. */
const prepared = new WeakSet<pg.ClientBase>();

/** Creates the staging tables once per connection (they live as long as the session). */
export async function prepareStaging(client: pg.ClientBase): Promise<void> {
  if (prepared.has(client)) return;
  await client.query(STAGING_DDL);
  prepared.add(client);
}

// The staged rows go into place at once, with the cursor moving from $3 to $1 (command seq $2); $4 is
// the batch's first event index. The checks abort the statement, and with it the whole batch.
export const APPLY_STAGED = `
WITH
-- The same rules as applyPatch (order-rows.ts), for orders stored by earlier batches.
patched AS (
  UPDATE orders o SET
    status = COALESCE(v.status, o.status),
    leaves_qty_lots = COALESCE(v.leaves, o.leaves_qty_lots),
    visible_qty_lots = COALESCE(v.visible_set, o.visible_qty_lots) - v.visible_sub,
    price_ticks = COALESCE(v.price, o.price_ticks),
    filled_qty_lots = o.filled_qty_lots + v.filled_add,
    filled_quote = o.filled_quote + v.quote_add,
    fees = o.fees + v.fees_add,
    fill_count = o.fill_count + v.fills_add,
    cancel_code = COALESCE(v.cancel_code, o.cancel_code),
    triggered_at = COALESCE(v.triggered_at, o.triggered_at),
    rested_at = COALESCE(o.rested_at, v.rested_at),
    last_fill_at = COALESCE(v.last_fill_at, o.last_fill_at),
    closed_at = COALESCE(v.closed_at, o.closed_at),
    updated_seq = v.updated_seq,
    updated_event_index = v.updated_event_index
  FROM projection_patches_in v
  -- The newest row of the id stored before this batch (a reused id may also have a new row from this
  -- batch), found through the key, then required to be live: per patch, the id's rows through
  -- orders_pkey, newest first, and one key probe. "status IN ('pending', 'open')" here would let the
  -- planner read every open order through orders_open_by_account instead, and without statistics (a
  -- young table, or autovacuum off) it did, on every batch.
  CROSS JOIN LATERAL (SELECT max(l.accepted_seq) AS accepted_seq FROM orders l
    WHERE l.order_id = v.order_id AND l.updated_event_index < $4) stored
  WHERE o.order_id = v.order_id AND o.accepted_seq = stored.accepted_seq AND o.status NOT IN ('filled', 'cancelled')
  RETURNING 1),
new_balances AS (
  INSERT INTO balances (account_id, asset_id, available, reserved, last_event_index, last_seq, updated_at)
  SELECT * FROM projection_balances_in
  ON CONFLICT (account_id, asset_id) DO UPDATE SET available = EXCLUDED.available, reserved = EXCLUDED.reserved,
    last_event_index = EXCLUDED.last_event_index, last_seq = EXCLUDED.last_seq, updated_at = EXCLUDED.updated_at),
moved AS (
  UPDATE projection_cursor SET last_event_index = $1, last_command_seq = $2, updated_at = now()
  WHERE projection = 'events' AND last_event_index = $3
  RETURNING 1)
SELECT
  projection_check((SELECT count(*) FROM moved) = 1, 'the cursor is no longer at event ' || $3 || ': is a second projector writing?'),
  projection_check((SELECT count(*) FROM patched) = (SELECT count(*) FROM projection_patches_in),
    (SELECT count(*) FROM projection_patches_in) || ' live orders changed but ' || (SELECT count(*) FROM patched) || ' are stored: the table does not hold the orders this log accepted')`;
