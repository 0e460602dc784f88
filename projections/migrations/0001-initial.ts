// Migration 1: the projection's tables. Amounts are BIGINT minor units, prices BIGINT ticks and
// quantities BIGINT lots, exactly the core's integers (all below 2^53); times are the commands'
// microsecond timestamps as timestamptz. The projector is the only writer, so rows carry no foreign
// keys to check on the hot path; `projection_cursor` is advanced in the same transaction as the rows.
export const name = 'initial';

export const sql = `
CREATE FUNCTION projection_time(time_us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT timestamptz 'epoch' + time_us * interval '1 microsecond' $$;

-- A batch is one statement; a check that fails in it aborts the whole statement, so nothing of the batch is kept.
CREATE FUNCTION projection_check(ok boolean, message text) RETURNS boolean
  LANGUAGE plpgsql
  AS $$ BEGIN IF NOT ok THEN RAISE EXCEPTION USING ERRCODE = 'PJ001', MESSAGE = message; END IF; RETURN true; END $$;

CREATE TABLE projection_cursor (
  projection text PRIMARY KEY,
  last_event_index bigint NOT NULL,
  last_command_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
INSERT INTO projection_cursor VALUES ('events', -1, 0, now());

CREATE TABLE assets (
  asset_id integer PRIMARY KEY,
  name text NOT NULL UNIQUE,
  scale smallint NOT NULL,
  created_seq bigint NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE accounts (
  account_id integer PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_seq bigint NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE symbols (
  symbol_id integer PRIMARY KEY,
  name text NOT NULL UNIQUE,
  base_asset_id integer NOT NULL,
  quote_asset_id integer NOT NULL,
  tick_size text NOT NULL,
  lot_size text NOT NULL,
  base_units_per_lot bigint NOT NULL,
  quote_units_per_tick_lot bigint NOT NULL,
  min_qty_lots bigint NOT NULL,
  max_qty_lots bigint NOT NULL,
  price_ticks_max bigint NOT NULL,
  band_bps integer NOT NULL,
  maker_fee_bps integer NOT NULL,
  taker_fee_bps integer NOT NULL,
  protection_bps integer NOT NULL,
  status text NOT NULL CHECK (status IN ('trading', 'halted', 'closed')),
  reference_price_ticks bigint NOT NULL,
  last_price_ticks bigint NOT NULL,
  created_seq bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_seq bigint NOT NULL
);

CREATE TABLE balances (
  account_id integer NOT NULL,
  asset_id integer NOT NULL,
  available bigint NOT NULL CHECK (available >= 0),
  reserved bigint NOT NULL CHECK (reserved >= 0),
  last_event_index bigint NOT NULL,
  last_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, asset_id)
);

-- One row per BALANCE_CHANGED event: the balance after the command that changed it, and by how much
-- it changed (a deposit or withdrawal is the change of available + reserved on its command's row).
CREATE TABLE ledger (
  event_index bigint PRIMARY KEY,
  seq bigint NOT NULL,
  account_id integer NOT NULL,
  asset_id integer NOT NULL,
  command text NOT NULL,
  available bigint NOT NULL,
  reserved bigint NOT NULL,
  available_delta bigint NOT NULL,
  reserved_delta bigint NOT NULL,
  changed_at timestamptz NOT NULL
);
CREATE INDEX ledger_by_account ON ledger (account_id, asset_id, event_index);

-- The engine keeps order ids unique among live orders (the server makes them unique for good: 2 x seq),
-- so a row is keyed by the id and the command that placed it.
CREATE TABLE orders (
  order_id bigint NOT NULL,
  account_id integer NOT NULL,
  symbol_id integer NOT NULL,
  client_order_id bigint NOT NULL,
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type text NOT NULL CHECK (order_type IN ('limit', 'market', 'stop_limit', 'stop_market')),
  time_in_force text NOT NULL,
  post_only boolean NOT NULL,
  stp text NOT NULL,
  price_ticks bigint NOT NULL,
  qty_lots bigint NOT NULL,
  stop_price_ticks bigint NOT NULL,
  display_qty_lots bigint NOT NULL,
  quote_budget bigint NOT NULL,
  expires_at timestamptz,
  linked_order_id bigint,
  status text NOT NULL CHECK (status IN ('pending', 'open', 'filled', 'cancelled')),
  leaves_qty_lots bigint NOT NULL CHECK (leaves_qty_lots >= 0),
  visible_qty_lots bigint NOT NULL CHECK (visible_qty_lots >= 0),
  filled_qty_lots bigint NOT NULL,
  filled_quote bigint NOT NULL,
  fees bigint NOT NULL,
  fill_count integer NOT NULL,
  cancel_code integer,
  accepted_seq bigint NOT NULL,
  accepted_at timestamptz NOT NULL,
  triggered_at timestamptz,
  rested_at timestamptz,
  last_fill_at timestamptz,
  closed_at timestamptz,
  updated_seq bigint NOT NULL,
  updated_event_index bigint NOT NULL,
  PRIMARY KEY (order_id, accepted_seq)
);
CREATE INDEX orders_open_by_account ON orders (account_id, symbol_id) WHERE status IN ('pending', 'open');

-- One row per TRADE event: both sides, at the maker's price.
CREATE TABLE fills (
  event_index bigint PRIMARY KEY,
  seq bigint NOT NULL,
  symbol_id integer NOT NULL,
  price_ticks bigint NOT NULL,
  qty_lots bigint NOT NULL,
  quote_amount bigint NOT NULL,
  taker_side text NOT NULL,
  taker_order_id bigint NOT NULL,
  maker_order_id bigint NOT NULL,
  taker_account_id integer NOT NULL,
  maker_account_id integer NOT NULL,
  taker_client_order_id bigint NOT NULL,
  maker_client_order_id bigint NOT NULL,
  taker_fee bigint NOT NULL,
  maker_fee bigint NOT NULL,
  taker_fee_asset_id integer NOT NULL,
  maker_fee_asset_id integer NOT NULL,
  executed_at timestamptz NOT NULL
);
CREATE INDEX fills_by_taker_time ON fills (taker_account_id, executed_at);
CREATE INDEX fills_by_maker_time ON fills (maker_account_id, executed_at);
CREATE INDEX fills_by_symbol_time ON fills (symbol_id, executed_at);

-- An account's fills, one row per side it took: select by account_id and order by executed_at
-- (each branch uses its own index).
CREATE VIEW account_fills AS
  SELECT event_index, seq, symbol_id, taker_account_id AS account_id, 'taker' AS liquidity, taker_order_id AS order_id,
         taker_client_order_id AS client_order_id, taker_side AS side, price_ticks, qty_lots, quote_amount,
         taker_fee AS fee, taker_fee_asset_id AS fee_asset_id, executed_at
    FROM fills
  UNION ALL
  SELECT event_index, seq, symbol_id, maker_account_id, 'maker', maker_order_id, maker_client_order_id,
         CASE taker_side WHEN 'buy' THEN 'sell' ELSE 'buy' END, price_ticks, qty_lots, quote_amount,
         maker_fee, maker_fee_asset_id, executed_at
    FROM fills;
`;
