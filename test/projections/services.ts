// The real PostgreSQL and Redis of the machine, for the projection tests: whether they answer
// (REQUIRE_SERVICES=1 makes their absence a failure, otherwise the tests skip loudly), a fresh
// schema and a fresh key prefix per test, and their removal.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;
export const PG_ADMIN_URL = `postgres://postgres@${PG_HOST}:${PG_PORT}/test`;
export const REDIS_URL = 'redis://127.0.0.1:6379';
const PROBE_TIMEOUT_MS = 2_000;

/** undefined when both services answer; otherwise why not (thrown under REQUIRE_SERVICES=1). */
export async function servicesMissing(): Promise<string | undefined> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    problems.push(`PostgreSQL at ${PG_ADMIN_URL}: ${String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis at ${REDIS_URL}: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
  if (problems.length === 0) return undefined;
  const message = `!!! projection tests need PostgreSQL and Redis: ${problems.join('; ')}`;
  if (process.env['REQUIRE_SERVICES'] === '1') throw new Error(message);
  console.error(`${message} -- SKIPPED`);
  return message;
}

export interface TestSchema {
  readonly name: string;
  /** A PG_URL whose connections use this schema. */
  readonly url: string;
  /** PG_URL naming `application_name`, so tests can find (and terminate) the projector's connections. */
  readonly applicationName: string;
  readonly admin: pg.Pool;
  drop(): Promise<void>;
}

export async function freshSchema(host = PG_HOST, port = PG_PORT): Promise<TestSchema> {
  const name = `projection_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: PG_ADMIN_URL, max: 2 });
  await admin.query(`CREATE SCHEMA ${name}`);
  const applicationName = `projector-${name}`;
  return {
    name, applicationName, admin,
    url: `postgres://postgres@${host}:${port}/test?application_name=${applicationName}&options=${encodeURIComponent(`-c search_path=${name}`)}`,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}

export interface TestKeys {
  readonly prefix: string;
  readonly redis: Redis;
  /** Deletes every key under the prefix and disconnects. */
  drop(): Promise<void>;
}

/** Keys under a new prefix in the Redis at `url` (the machine's by default). */
export async function freshRedisPrefix(url = REDIS_URL): Promise<TestKeys> {
  const prefix = `projection-test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(url);
  return {
    prefix, redis,
    drop: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
