// Applies the pending migrations in one transaction under an advisory lock (per schema), so that
// `npm run migrate`, a starting projector and a second instance never race; a migration whose
// recorded checksum differs from the code's stops everything, because the schema is then unknown.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { MIGRATIONS, type Migration } from './pg-migrations.ts';
import { withConnection } from './pg-pool.ts';

export class MigrationMismatchError extends Error {
  override name = 'MigrationMismatchError';
}

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly versionLast: number;
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  return withConnection(pool, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
      const recorded = new Map(done.rows.map((row) => [row.version, row.checksum]));
      const applied: number[] = [];
      for (const migration of migrations) {
        const checksum = checksumOf(migration);
        const stored = recorded.get(migration.version);
        if (stored !== undefined) {
          if (stored !== checksum) throw new MigrationMismatchError(`migration ${migration.version} (${migration.name}) was applied with checksum ${stored}, the code has ${checksum}`);
          continue;
        }
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, checksum]);
        applied.push(migration.version);
      }
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...recorded.keys()].filter((version) => !known.has(version));
      if (unknown.length > 0) throw new MigrationMismatchError(`the database has migrations ${unknown.join(', ')} this code does not know: it is newer than this code`);
      await client.query('COMMIT');
      return { applied, versionLast: migrations[migrations.length - 1]?.version ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
