// The PostgreSQL connection pool of a projection: everything from PG_URL (including sslmode and
// sslrootcert, which win), plus an optional CA bundle for verified TLS to Aurora, and timeouts so
// that a database that stops answering fails a write instead of hanging the projector.
import pg from 'pg';

/**
 * One connection per batch in flight (PG_WRITES_IN_FLIGHT_MAX in pg-projection.ts): one is free for
 * the balance reads between two batches, and for migrations and checks.
 */
export const PG_POOL_CONNECTIONS_MAX = 3;
export const PG_CONNECT_TIMEOUT_MS = 5_000;
/** Longest one statement of a batch may take before the batch is retried. */
export const PG_QUERY_TIMEOUT_MS = 60_000;
export const PG_IDLE_TIMEOUT_MS = 30_000;
/** Shown in pg_stat_activity unless PG_URL names its own application_name. */
export const PG_APPLICATION_NAME = 'exchange-projector';

export interface PgPoolOptions {
  readonly url: string;
  /** PEM of the CA that signs the server's certificate (for Aurora, the RDS bundle); enables verified TLS. */
  readonly tlsCaPem: string | undefined;
}

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    ...(options.tlsCaPem === undefined ? {} : { ssl: { ca: options.tlsCaPem, rejectUnauthorized: true } }),
    max: PG_POOL_CONNECTIONS_MAX,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    query_timeout: PG_QUERY_TIMEOUT_MS,
    idleTimeoutMillis: PG_IDLE_TIMEOUT_MS,
    keepAlive: true,
    fallback_application_name: PG_APPLICATION_NAME,
  });
  // An idle connection that dies (database restart, pg_terminate_backend) is reported here; the
  // pool drops it, and the next write gets a fresh one.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` on a connection of `pool` and hands the connection back, closing it when `work`
 * failed (its transaction state is unknown). While checked out, a connection that dies between two
 * statements (pg_terminate_backend, a failover) emits 'error': heard here, it fails the next
 * statement instead of the process.
 */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let failed = false;
  try {
    return await work(client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failed);
  }
}
