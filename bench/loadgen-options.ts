// The load generator's command line. Every default and limit is named here; a bad value stops the
// run with a message naming the flag.
import { parseArgs } from 'node:util';
import { ENCODINGS, type Encoding } from '../gateway/protocol/codec.ts';
import { MIX_DEFAULT_TEXT, parseMix, type Mix } from './loadgen-mix.ts';

export const WARMUP_SECONDS_DEFAULT = 2;
export const DRAIN_SECONDS_DEFAULT = 10;
export const CONNECTIONS_DEFAULT = 32;
/** The server's default connections per client address. */
export const CONNECTIONS_MAX = 256;
export const SYMBOLS_DEFAULT = 8;
export const SYMBOLS_MAX = 64;
export const RATE_HZ_MAX = 10_000_000;
export const DURATION_SECONDS_MAX = 3_600;
/** Offered rate one sender process is given before another is added (see bench/RESULTS.md). */
export const RATE_PER_SENDER_HZ = 30_000;
/** Senders chosen automatically stop here: more processes than cores only compete with the server. */
export const SENDERS_AUTO_MAX = 2;
export const SENDERS_MAX = 16;
export const SEED_DEFAULT = 1;
/** A sender still behind its schedule this long after the last request was due gives up on the rest. */
export const LATE_SEND_MS_MAX = 5_000;

export interface LoadgenOptions {
  readonly url: string;
  readonly rateHz: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly drainSeconds: number;
  readonly connections: number;
  readonly senders: number;
  readonly encoding: Encoding;
  readonly mix: Mix;
  readonly symbols: number;
  readonly seed: number;
  readonly out: string;
  readonly adminKey: string | undefined;
  /** The target is the bare echo server (bench/echo-server.ts): no login, the echo is the acknowledgement. */
  readonly echo: boolean;
  /** What the server was started with, for the report (the load generator cannot see it). */
  readonly durability: string;
}

export class UsageError extends Error {}

function number(values: Record<string, string | boolean | undefined>, flag: string, fallback: number | undefined, min: number, max: number, integer: boolean): number {
  const text = values[flag];
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

export function parseLoadgenOptions(argv: readonly string[]): LoadgenOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' }, drain: { type: 'string' },
      connections: { type: 'string' }, senders: { type: 'string' }, encoding: { type: 'string', default: 'msgpack' }, mix: { type: 'string', default: MIX_DEFAULT_TEXT },
      symbols: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, 'admin-key': { type: 'string' }, echo: { type: 'boolean', default: false },
      durability: { type: 'string', default: 'unknown' },
    },
  });
  if (values.url === undefined || !/^wss?:\/\//.test(values.url)) throw new UsageError('--url ws://HOST:PORT/ws is required');
  if (values.out === undefined) throw new UsageError('--out FILE.json is required');
  const encoding = values.encoding as Encoding;
  if (!ENCODINGS.includes(encoding)) throw new UsageError(`--encoding must be one of ${ENCODINGS.join(', ')}`);
  let mix: Mix;
  try {
    mix = parseMix(values.mix);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rateHz = number(values, 'rate', undefined, 1, RATE_HZ_MAX, false);
  const connections = number(values, 'connections', CONNECTIONS_DEFAULT, 1, CONNECTIONS_MAX, true);
  const sendersAuto = Math.min(SENDERS_AUTO_MAX, connections, Math.ceil(rateHz / RATE_PER_SENDER_HZ));
  return {
    url: values.url, rateHz, encoding, mix, out: values.out, adminKey: values['admin-key'], echo: values.echo, durability: values.durability,
    durationSeconds: number(values, 'duration', undefined, 0.1, DURATION_SECONDS_MAX, false),
    warmupSeconds: number(values, 'warmup', WARMUP_SECONDS_DEFAULT, 0, DURATION_SECONDS_MAX, false),
    drainSeconds: number(values, 'drain', DRAIN_SECONDS_DEFAULT, 0, DURATION_SECONDS_MAX, false),
    connections,
    senders: number(values, 'senders', sendersAuto, 1, Math.min(SENDERS_MAX, connections), true),
    symbols: number(values, 'symbols', SYMBOLS_DEFAULT, 1, SYMBOLS_MAX, true),
    seed: number(values, 'seed', SEED_DEFAULT, 0, 2 ** 31, true),
  };
}
