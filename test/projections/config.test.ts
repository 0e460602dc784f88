// Proves the projection options: off without URLs (the embedded default), validated with errors naming the flag and variable, and the URLs (which carry passwords) kept out of the logged configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, redacted } from '../../server/config.ts';

const SECRETS = { ADMIN_API_KEY: 'admin-key-0123456789', JWT_SECRET: '0123456789abcdef0123456789abcdef' };
const PG_URL = 'postgres://projector:s3cret@db.example:5432/exchange?sslmode=verify-full';
const REDIS_URL = 'rediss://:t0ken@cache.example:6379';

test('without PG_URL and REDIS_URL no store is configured', () => {
  const c = loadConfig([], SECRETS);
  assert.equal(c.pgUrl, undefined);
  assert.equal(c.redisUrl, undefined);
  assert.equal(c.pgMigrateOnStart, true);
  assert.equal(c.redisKeyPrefix, 'exchange:');
});

test('URLs, CA files, migration mode and key prefix are read and checked', () => {
  const caFile = new URL(import.meta.url).pathname;
  const c = loadConfig(['--pg-migrate', 'off', '--redis-key-prefix', 'venue-a:'], { ...SECRETS, PG_URL, REDIS_URL, PG_TLS_CA_FILE: caFile, REDIS_TLS_CA_FILE: caFile });
  assert.deepEqual([c.pgUrl, c.redisUrl, c.pgTlsCaFile, c.redisTlsCaFile, c.pgMigrateOnStart, c.redisKeyPrefix], [PG_URL, REDIS_URL, caFile, caFile, false, 'venue-a:']);
  const cases: [Record<string, string>, RegExp][] = [
    [{ PG_URL: 'mysql://x' }, /--pg-url \/ PG_URL must start with postgres:\/\/ or postgresql:\/\//],
    [{ REDIS_URL: 'http://x' }, /--redis-url \/ REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ PG_TLS_CA_FILE: '/no/such/ca.pem' }, /--pg-tls-ca-file \/ PG_TLS_CA_FILE: no file/],
    [{ REDIS_TLS_CA_FILE: '/no/such/ca.pem' }, /--redis-tls-ca-file \/ REDIS_TLS_CA_FILE: no file/],
    [{ PG_MIGRATE: 'always' }, /--pg-migrate \/ PG_MIGRATE must be on-start or off/],
    [{ REDIS_KEY_PREFIX: 'has space' }, /--redis-key-prefix \/ REDIS_KEY_PREFIX/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig([], { ...SECRETS, ...env }), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
});

test('the logged configuration hides the store URLs', () => {
  const shown = JSON.stringify(redacted(loadConfig([], { ...SECRETS, PG_URL, REDIS_URL })));
  assert.ok(!shown.includes('s3cret') && !shown.includes('t0ken'), shown);
  assert.match(shown, /"pgUrl":"\[set\]"/);
});
