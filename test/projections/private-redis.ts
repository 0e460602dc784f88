// A Redis of the test's own, for a test that empties or cuts off Redis: the machine's Redis at
// 127.0.0.1:6379 is shared with every other test and program, so FLUSHALL there would wipe their
// keys. redis-server runs on a free 127.0.0.1 port with nothing kept on disk; the test stops it (also
// when it fails), and it is killed after REDIS_LIFETIME_MS_MAX whatever happens to the test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_SERVER = 'redis-server';
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 5_000;
const START_POLL_MS = 50;
const STOP_TIMEOUT_MS = 5_000;
/** Longer than any test that uses it runs. */
const REDIS_LIFETIME_MS_MAX = 300_000;

export interface PrivateRedis {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL if it does not exit in time); safe to call twice. */
  stop(): Promise<void>;
}

/** undefined when redis-server can be run; otherwise why not (thrown under REQUIRE_SERVICES=1). */
export function privateRedisMissing(): string | undefined {
  if (spawnSync('sh', ['-c', `command -v ${REDIS_SERVER}`], { stdio: 'ignore' }).status === 0) return undefined;
  const message = `!!! this test needs ${REDIS_SERVER} on the PATH for a Redis of its own (Debian package redis-server)`;
  if (process.env['REQUIRE_SERVICES'] === '1') throw new Error(message);
  console.error(`${message} -- SKIPPED`);
  return message;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis({ host: HOST, port, lazyConnect: true, connectTimeout: START_POLL_MS * 4, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts redis-server on a free port and waits (at most START_TIMEOUT_MS) until it answers. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'], timeout: REDIS_LIFETIME_MS_MAX, killSignal: 'SIGKILL',
  });
  let stderr = '';
  let exited = false;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', (error) => (stderr += String(error)));
  child.on('exit', () => (exited = true));
  // A test process that ends without stopping it (an uncaught error) still takes it along.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopProcess(child);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${REDIS_SERVER} on ${HOST}:${port} did not answer within ${START_TIMEOUT_MS} ms (exit ${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
  }
  return { host: HOST, port, url: `redis://${HOST}:${port}`, stop };
}
