// `npm run migrate [-- --pg-url URL] [--pg-tls-ca-file PEM]`: applies the PostgreSQL projection's
// pending migrations (the same ones the projector applies on start unless PG_MIGRATE=off) and
// prints what it did. Flags win over PG_URL / PG_TLS_CA_FILE, as for the server.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrate } from '../projections/pg-migrate.ts';
import { createPgPool } from '../projections/pg-pool.ts';

const { values } = parseArgs({ options: { 'pg-url': { type: 'string' }, 'pg-tls-ca-file': { type: 'string' } }, strict: true });
const url = values['pg-url'] ?? process.env['PG_URL'];
if (url === undefined || url === '') {
  console.error('migrate: set --pg-url or PG_URL (postgres://user:pass@host:5432/db)');
  process.exit(2);
}
const caFile = values['pg-tls-ca-file'] ?? process.env['PG_TLS_CA_FILE'];
const pool = createPgPool({ url, tlsCaPem: caFile === undefined || caFile === '' ? undefined : readFileSync(caFile, 'utf8') });
try {
  const report = await migrate(pool);
  console.log(JSON.stringify({ applied: report.applied, version: report.versionLast }));
} catch (error) {
  console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
