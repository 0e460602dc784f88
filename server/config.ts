// The server's configuration: flags override environment variables, which override defaults that
// run on a laptop (a local ./data directory, no other service). Every value is validated at startup
// with an error that names the flag, the variable and what was wrong.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { REDIS_KEY_PREFIX_DEFAULT } from '../projections/redis-keys.ts';

export type Durability = 'fsync' | 'none';

/**
 * A leader serves orders. A standby recovers its journal and refuses everything (orders, WebSocket
 * upgrades, admin calls: 503), runs no projector, and fails /healthz/leader. There is no leader
 * election: a host's role is fixed by its settings, so that two hosts behind one load balancer can
 * never both take orders.
 */
export type Role = 'leader' | 'standby';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly durability: Durability;
  readonly role: Role;
  readonly adminApiKey: string;
  /** HS256 secret; absent when only ES256 tokens are accepted. */
  readonly jwtSecret: string | undefined;
  /** ES256 public key (PEM, SPKI); absent when only HS256 tokens are accepted. */
  readonly jwtPublicKeyPem: string | undefined;
  readonly inputRingSlots: number;
  readonly outputRingSlots: number;
  readonly journalBatchRecordsMax: number;
  readonly snapshotEveryCommands: number;
  readonly snapshotEverySeconds: number;
  readonly snapshotsKept: number;
  readonly clockIntervalMs: number;
  readonly segmentSizeBytes: number;
  readonly messagesPerSecondPerSession: number;
  readonly messagesPerSecondPerIp: number;
  readonly connectionsPerIpMax: number;
  readonly trustedProxyHops: number;
  readonly idleTimeoutSeconds: number;
  readonly backpressureBytesMax: number;
  readonly logLevel: string;
  // Projections (docs/projections.md): each store is on only when its URL is set.
  readonly pgUrl: string | undefined;
  readonly pgTlsCaFile: string | undefined;
  readonly pgMigrateOnStart: boolean;
  readonly redisUrl: string | undefined;
  readonly redisTlsCaFile: string | undefined;
  readonly redisKeyPrefix: string;
  /** Secrets generated for this run because none was given (never in production). */
  readonly generatedSecrets: readonly string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface Option {
  readonly flag: string;
  readonly env: string;
  readonly kind: 'string' | 'int' | 'secret';
  readonly fallback?: string;
  readonly help: string;
}

/** Every option, with its flag, environment variable and default; the README's table is this list. */
export const OPTIONS: readonly Option[] = [
  { flag: 'host', env: 'HOST', kind: 'string', fallback: '0.0.0.0', help: 'address to listen on' },
  { flag: 'port', env: 'PORT', kind: 'int', fallback: '8080', help: 'HTTP and WebSocket port (WebSocket at /ws)' },
  { flag: 'data-dir', env: 'DATA_DIR', kind: 'string', fallback: './data', help: 'journal, event log and snapshots' },
  { flag: 'durability', env: 'DURABILITY', kind: 'string', fallback: 'fsync', help: 'fsync (every batch fdatasync\'ed before its effects are released) or none (benchmarks only)' },
  { flag: 'role', env: 'VENUE_ROLE', kind: 'string', fallback: 'leader', help: 'leader (serves orders) or standby (recovers, then refuses orders, WebSocket upgrades and admin calls with 503; no projector). Fixed per host: there is no leader election' },
  { flag: 'admin-api-key', env: 'ADMIN_API_KEY', kind: 'secret', help: 'key for the admin REST calls (header x-api-key); generated and logged when absent outside production' },
  { flag: 'jwt-secret', env: 'JWT_SECRET', kind: 'secret', help: 'HS256 secret for login tokens (32+ characters); generated and logged when absent outside production' },
  { flag: 'jwt-public-key', env: 'JWT_PUBLIC_KEY', kind: 'secret', help: 'ES256 public key (PEM) for login tokens' },
  { flag: 'input-ring-slots', env: 'INPUT_RING_SLOTS', kind: 'int', fallback: '65536', help: 'command ring size (power of two)' },
  { flag: 'output-ring-slots', env: 'OUTPUT_RING_SLOTS', kind: 'int', fallback: '262144', help: 'event ring size (power of two)' },
  { flag: 'journal-batch-max', env: 'JOURNAL_BATCH_MAX', kind: 'int', fallback: '4096', help: 'most commands in one group commit' },
  { flag: 'snapshot-every-commands', env: 'SNAPSHOT_EVERY_COMMANDS', kind: 'int', fallback: '1000000', help: 'take a snapshot after this many commands' },
  { flag: 'snapshot-every-seconds', env: 'SNAPSHOT_EVERY_SECONDS', kind: 'int', fallback: '300', help: 'or after this many seconds with at least one command' },
  { flag: 'snapshots-kept', env: 'SNAPSHOTS_KEPT', kind: 'int', fallback: '3', help: 'newest snapshots to keep' },
  { flag: 'clock-interval-ms', env: 'CLOCK_INTERVAL_MS', kind: 'int', fallback: '1000', help: 'a leader that received no command for this long journals a CLOCK command, so GTD orders expire in a quiet market' },
  { flag: 'segment-size-bytes', env: 'SEGMENT_SIZE_BYTES', kind: 'int', fallback: String(256 * 1024 * 1024), help: 'journal segment size before a roll' },
  { flag: 'rate-session', env: 'RATE_SESSION', kind: 'int', fallback: '20000', help: 'messages per second per session (token bucket, burst = 2 s)' },
  { flag: 'rate-ip', env: 'RATE_IP', kind: 'int', fallback: '50000', help: 'messages per second per client IP' },
  { flag: 'connections-per-ip', env: 'CONNECTIONS_PER_IP', kind: 'int', fallback: '256', help: 'open WebSockets per client IP' },
  { flag: 'trusted-proxy-hops', env: 'TRUSTED_PROXY_HOPS', kind: 'int', fallback: '0', help: 'proxies in front that append the client address to X-Forwarded-For (1 behind an AWS ALB): per-IP limits count that address; 0: the socket peer' },
  { flag: 'idle-timeout-seconds', env: 'IDLE_TIMEOUT_SECONDS', kind: 'int', fallback: '60', help: 'WebSocket idle timeout; pings go out before it (keep below the load balancer\'s)' },
  { flag: 'backpressure-bytes', env: 'BACKPRESSURE_BYTES', kind: 'int', fallback: String(4 * 1024 * 1024), help: 'a slower WebSocket consumer is disconnected past this' },
  { flag: 'log-level', env: 'LOG_LEVEL', kind: 'string', fallback: 'info', help: 'pino log level' },
  // Projections (docs/projections.md).
  { flag: 'pg-url', env: 'PG_URL', kind: 'secret', help: 'PostgreSQL projection (orders, fills, balances, ledger): postgres://user:pass@host:5432/db, sslmode and sslrootcert allowed; unset: none' },
  { flag: 'pg-tls-ca-file', env: 'PG_TLS_CA_FILE', kind: 'string', help: 'CA bundle (PEM) that signs PostgreSQL\'s certificate (for Aurora, the RDS bundle): verified TLS unless PG_URL sets sslmode' },
  { flag: 'pg-migrate', env: 'PG_MIGRATE', kind: 'string', fallback: 'on-start', help: 'on-start (the projector applies pending migrations) or off (run npm run migrate)' },
  { flag: 'redis-url', env: 'REDIS_URL', kind: 'secret', help: 'Redis projection (best bid/offer, L2 snapshots, recent trades): redis:// or rediss:// (TLS); unset: none' },
  { flag: 'redis-tls-ca-file', env: 'REDIS_TLS_CA_FILE', kind: 'string', help: 'CA bundle (PEM) that signs Redis\'s certificate (turns TLS on)' },
  { flag: 'redis-key-prefix', env: 'REDIS_KEY_PREFIX', kind: 'string', fallback: REDIS_KEY_PREFIX_DEFAULT, help: 'prefix of every Redis key the projection writes' },
];

const INT_LIMITS: Record<string, readonly [number, number]> = {
  port: [0, 65_535], 'input-ring-slots': [2, 1 << 24], 'output-ring-slots': [2, 1 << 24], 'journal-batch-max': [1, 4_096],
  'snapshot-every-commands': [1, 1e12], 'snapshot-every-seconds': [1, 86_400 * 7], 'snapshots-kept': [1, 1_000], 'clock-interval-ms': [10, 60_000],
  'segment-size-bytes': [1 << 16, 2 ** 40], 'rate-session': [1, 1e9], 'rate-ip': [1, 1e9], 'connections-per-ip': [1, 1e6], 'trusted-proxy-hops': [0, 8],
  'idle-timeout-seconds': [8, 960], 'backpressure-bytes': [1 << 16, 2 ** 31],
};
const POWER_OF_TWO = new Set(['input-ring-slots', 'output-ring-slots']);
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Reads the configuration from argv and the environment; throws ConfigError naming the option on bad input. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'string' as const }])), strict: true, allowPositionals: false });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; options: ${OPTIONS.map((o) => `--${o.flag}`).join(' ')}`);
  }
  const raw = (o: Option): string | undefined => parsed.values[o.flag] ?? env[o.env] ?? o.fallback;
  const get = (flag: string): string | undefined => raw(OPTIONS.find((o) => o.flag === flag) as Option);
  const int = (flag: string): number => {
    const text = get(flag) as string;
    const [min, max] = INT_LIMITS[flag] as readonly [number, number];
    const n = Number(text);
    const bad = !/^\d+$/.test(text) || n < min || n > max || (POWER_OF_TWO.has(flag) && !Number.isInteger(Math.log2(n)));
    if (bad) throw new ConfigError(`--${flag} / ${envOf(flag)} must be an integer in ${min}..${max}${POWER_OF_TWO.has(flag) ? ' and a power of two' : ''}, got ${JSON.stringify(text)}`);
    return n;
  };
  const durability = get('durability');
  if (durability !== 'fsync' && durability !== 'none') throw new ConfigError(`--durability / DURABILITY must be fsync or none, got ${JSON.stringify(durability)}`);
  const role = get('role');
  if (role !== 'leader' && role !== 'standby') throw new ConfigError(`--role / VENUE_ROLE must be leader or standby, got ${JSON.stringify(role)}`);
  const production = env['NODE_ENV'] === 'production';
  const generated: string[] = [];
  // Outside production, a missing secret is generated for this run (and logged), so the server starts
  // on a laptop with no set-up; in production a missing secret is an error.
  const secret = (flag: string, lengthMin: number): string | undefined => {
    const value = get(flag);
    if (value !== undefined) {
      if (value.length < lengthMin) throw new ConfigError(`--${flag} / ${envOf(flag)} must be at least ${lengthMin} characters`);
      return value;
    }
    if (production) return undefined;
    generated.push(flag);
    return randomBytes(32).toString('base64url');
  };
  const adminApiKey = secret('admin-api-key', 16);
  if (adminApiKey === undefined) throw new ConfigError('--admin-api-key / ADMIN_API_KEY is required in production, at least 16 characters');
  const jwtPublicKeyPem = get('jwt-public-key');
  const jwtSecret = jwtPublicKeyPem === undefined ? secret('jwt-secret', 32) : get('jwt-secret');
  if (jwtSecret === undefined && jwtPublicKeyPem === undefined) throw new ConfigError('set JWT_SECRET (HS256) or JWT_PUBLIC_KEY (ES256) so that clients can log in');
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new ConfigError('--jwt-secret / JWT_SECRET must be at least 32 characters (256 bits for HS256)');
  const logLevel = get('log-level') as string;
  if (!LOG_LEVELS.has(logLevel)) throw new ConfigError(`--log-level / LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}, got ${JSON.stringify(logLevel)}`);
  const dataDir = get('data-dir') as string;
  if (dataDir.length === 0) throw new ConfigError('--data-dir / DATA_DIR must not be empty');
  const projections = projectionOptions(get);
  return {
    host: get('host') as string, port: int('port'), dataDir, durability, role, adminApiKey, jwtSecret, jwtPublicKeyPem,
    inputRingSlots: int('input-ring-slots'), outputRingSlots: int('output-ring-slots'), journalBatchRecordsMax: int('journal-batch-max'),
    snapshotEveryCommands: int('snapshot-every-commands'), snapshotEverySeconds: int('snapshot-every-seconds'), snapshotsKept: int('snapshots-kept'), clockIntervalMs: int('clock-interval-ms'),
    segmentSizeBytes: int('segment-size-bytes'), messagesPerSecondPerSession: int('rate-session'), messagesPerSecondPerIp: int('rate-ip'),
    connectionsPerIpMax: int('connections-per-ip'), trustedProxyHops: int('trusted-proxy-hops'), idleTimeoutSeconds: int('idle-timeout-seconds'), backpressureBytesMax: int('backpressure-bytes'),
    logLevel, ...projections, generatedSecrets: generated,
  };
}

type ProjectionOptions = Pick<ServerConfig, 'pgUrl' | 'pgTlsCaFile' | 'pgMigrateOnStart' | 'redisUrl' | 'redisTlsCaFile' | 'redisKeyPrefix'>;

/** The projection stores' options: URLs of the right scheme, CA files that exist, a usable key prefix. */
function projectionOptions(get: (flag: string) => string | undefined): ProjectionOptions {
  const url = (flag: string, schemes: readonly string[]): string | undefined => {
    const value = get(flag);
    if (value === undefined || value === '') return undefined;
    if (!schemes.some((scheme) => value.startsWith(`${scheme}://`))) throw new ConfigError(`--${flag} / ${envOf(flag)} must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
    return value;
  };
  const file = (flag: string): string | undefined => {
    const value = get(flag);
    if (value === undefined || value === '') return undefined;
    if (!existsSync(value)) throw new ConfigError(`--${flag} / ${envOf(flag)}: no file ${JSON.stringify(value)}`);
    return value;
  };
  const migrate = get('pg-migrate');
  if (migrate !== 'on-start' && migrate !== 'off') throw new ConfigError(`--pg-migrate / PG_MIGRATE must be on-start or off, got ${JSON.stringify(migrate)}`);
  const redisKeyPrefix = get('redis-key-prefix') as string;
  if (!/^[\x21-\x7e]{1,64}$/.test(redisKeyPrefix)) throw new ConfigError('--redis-key-prefix / REDIS_KEY_PREFIX must be 1..64 printable characters without spaces');
  return {
    pgUrl: url('pg-url', ['postgres', 'postgresql']), pgTlsCaFile: file('pg-tls-ca-file'), pgMigrateOnStart: migrate === 'on-start',
    redisUrl: url('redis-url', ['redis', 'rediss']), redisTlsCaFile: file('redis-tls-ca-file'), redisKeyPrefix,
  };
}

function envOf(flag: string): string {
  return OPTIONS.find((o) => o.flag === flag)?.env ?? flag;
}

/** The configuration as it may be logged: secrets replaced by whether they are set. */
export function redacted(config: ServerConfig): Record<string, unknown> {
  return {
    ...config,
    adminApiKey: '[redacted]',
    jwtSecret: config.jwtSecret === undefined ? undefined : '[redacted]',
    jwtPublicKeyPem: config.jwtPublicKeyPem === undefined ? undefined : '[set]',
    pgUrl: config.pgUrl === undefined ? undefined : '[set]',
    redisUrl: config.redisUrl === undefined ? undefined : '[set]',
  };
}
