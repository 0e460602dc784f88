// Proves the migrations: applied once (a second run, or a second migrator at the same time, changes nothing), and a database whose recorded migration differs from the code's, or that is newer than the code, is refused rather than written to.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPgPool } from '../../projections/pg-pool.ts';
import { MIGRATIONS } from '../../projections/pg-migrations.ts';
import { MigrationMismatchError, migrate } from '../../projections/pg-migrate.ts';
import { freshSchema, servicesMissing, type TestSchema } from './services.ts';

let missing: string | undefined;
let schema: TestSchema;
before(async () => {
  missing = await servicesMissing();
  if (missing === undefined) schema = await freshSchema();
});
after(async () => {
  if (missing === undefined) await schema.drop();
});

test('migrations apply once, also when two migrators race', async (t) => {
  if (missing !== undefined) return t.skip(missing);
  const pool = createPgPool({ url: schema.url, tlsCaPem: undefined });
  try {
    const [first, second] = await Promise.all([migrate(pool), migrate(pool)]);
    assert.deepEqual([...(first?.applied ?? []), ...(second?.applied ?? [])], MIGRATIONS.map((m) => m.version), 'each version applied by exactly one of them');
    assert.deepEqual((await migrate(pool)).applied, []);
    const tables = await pool.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1');
    for (const name of ['orders', 'fills', 'balances', 'ledger', 'symbols', 'accounts', 'assets', 'projection_cursor']) {
      assert.ok(tables.rows.some((r) => r.table_name === name), name);
    }
    const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await assert.rejects(migrate(pool, edited), MigrationMismatchError, 'an applied migration that changed is refused');
    await assert.rejects(migrate(pool, []), /newer than this code/, 'a database newer than the code is refused');
  } finally {
    await pool.end();
  }
});
