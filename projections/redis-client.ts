// The Redis connection of a projection: from REDIS_URL (`rediss://` turns TLS on, as ElastiCache
// with transit encryption needs), an optional CA bundle, and fail-fast settings: commands issued
// while the connection is down fail at once instead of queueing, so that the projector falls
// behind and retries on its own schedule while the client reconnects in the background.
import { Redis } from 'ioredis';

export const REDIS_CONNECT_TIMEOUT_MS = 5_000;
/** Longest one pipelined batch may take before it is retried. */
export const REDIS_COMMAND_TIMEOUT_MS = 10_000;
export const REDIS_RECONNECT_DELAY_MS_MAX = 2_000;
const REDIS_RECONNECT_DELAY_MS_STEP = 100;
export const REDIS_CONNECTION_NAME = 'exchange-projector';

export interface RedisClientOptions {
  readonly url: string;
  /** PEM of the CA that signs the server's certificate; implies TLS. */
  readonly tlsCaPem: string | undefined;
}

export function createRedis(options: RedisClientOptions): Redis {
  const redis = new Redis(options.url, {
    ...(options.tlsCaPem === undefined ? {} : { tls: { ca: options.tlsCaPem } }),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * REDIS_RECONNECT_DELAY_MS_STEP, REDIS_RECONNECT_DELAY_MS_MAX),
    connectionName: REDIS_CONNECTION_NAME,
  });
  // Connection errors are answered by reconnecting; the projector sees them as failed writes.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the client is connected, or rejects after REDIS_CONNECT_TIMEOUT_MS. */
export async function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') {
    await redis.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis not ready after ${REDIS_CONNECT_TIMEOUT_MS} ms (status ${redis.status})`));
    }, REDIS_CONNECT_TIMEOUT_MS);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
