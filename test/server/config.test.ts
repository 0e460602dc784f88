// Proves the server's configuration is validated with errors naming the flag and variable, and that the README documents every option.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, loadConfig, OPTIONS, redacted } from '../../server/config.ts';

const SECRETS = { ADMIN_API_KEY: 'admin-key-0123456789', JWT_SECRET: '0123456789abcdef0123456789abcdef' };

test('defaults run on a laptop: port 8080, ./data, fsync durability', () => {
  const c = loadConfig([], SECRETS);
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, './data');
  assert.equal(c.durability, 'fsync');
  assert.equal(c.role, 'leader');
  assert.deepEqual(c.generatedSecrets, []);
});

test('flags win over environment variables, which win over defaults', () => {
  const c = loadConfig(['--port', '9001'], { ...SECRETS, PORT: '9000', DATA_DIR: '/srv/x' });
  assert.equal(c.port, 9001);
  assert.equal(c.dataDir, '/srv/x');
  assert.equal(loadConfig([], { ...SECRETS, VENUE_ROLE: 'standby' }).role, 'standby');
});

test('bad values are refused with the flag and variable named', () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--port', '70000'], {}, /--port \/ PORT must be an integer in 0\.\.65535/],
    [['--port', 'abc'], {}, /--port \/ PORT/],
    [['--durability', 'sometimes'], {}, /--durability \/ DURABILITY must be fsync or none/],
    [[], { VENUE_ROLE: 'follower' }, /--role \/ VENUE_ROLE must be leader or standby, got "follower"/],
    [['--input-ring-slots', '1000'], {}, /--input-ring-slots \/ INPUT_RING_SLOTS .* power of two/],
    [['--log-level', 'loud'], {}, /--log-level \/ LOG_LEVEL/],
    [['--no-such-flag', '1'], {}, /no-such-flag/],
    [[], { JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [[], { ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY must be at least 16/],
  ];
  for (const [argv, env, message] of cases) assert.throws(() => loadConfig(argv, { ...SECRETS, ...env }), (e: unknown) => e instanceof ConfigError && message.test(e.message), argv.join(' '));
});

test('missing secrets are generated outside production and required in production', () => {
  const dev = loadConfig([], {});
  assert.deepEqual(dev.generatedSecrets, ['admin-api-key', 'jwt-secret']);
  assert.ok(dev.adminApiKey.length >= 32 && (dev.jwtSecret ?? '').length >= 32);
  assert.throws(() => loadConfig([], { NODE_ENV: 'production' }), /ADMIN_API_KEY is required in production/);
  assert.throws(() => loadConfig([], { NODE_ENV: 'production', ADMIN_API_KEY: SECRETS.ADMIN_API_KEY }), /set JWT_SECRET/);
});

test('the logged configuration hides secrets', () => {
  const shown = JSON.stringify(redacted(loadConfig([], SECRETS)));
  assert.ok(!shown.includes(SECRETS.ADMIN_API_KEY) && !shown.includes(SECRETS.JWT_SECRET));
});

test('the README documents every option with its flag and variable', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const o of OPTIONS) assert.ok(readme.includes(`\`--${o.flag}\``) && readme.includes(`\`${o.env}\``), o.flag);
});
