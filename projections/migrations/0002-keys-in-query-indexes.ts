// Migration 2: the append-only tables' keys become their query indexes. Every index is maintained on
// every row a batch COPYs (ledger rows are half of them), so the per-event primary keys that no query
// uses were pure write cost. Each event has exactly one symbol and time (a fill) or one account and
// asset (a ledger row), so a key that ends in event_index still refuses any event stored twice.
export const name = 'keys-in-query-indexes';

export const sql = `
DROP INDEX ledger_by_account;
ALTER TABLE ledger DROP CONSTRAINT ledger_pkey,
  ADD CONSTRAINT ledger_by_account PRIMARY KEY (account_id, asset_id, event_index);

DROP INDEX fills_by_symbol_time;
ALTER TABLE fills DROP CONSTRAINT fills_pkey,
  ADD CONSTRAINT fills_by_symbol_time PRIMARY KEY (symbol_id, executed_at, event_index);
`;
