// Starts the real server as a child process on 127.0.0.1 (an OS-chosen port, a temp data dir), with
// helpers for its admin REST API, login tokens, clients and raw sockets; every test stops what it starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { ExchangeClient } from '../../client/exchange-client.ts';
import { SUBPROTOCOL_MSGPACK } from '../../gateway/protocol/codec.ts';
import type { ExecutionReportMessage } from '../../gateway/protocol/messages.ts';

export const ADMIN_API_KEY = 'test-admin-key-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;

export interface RunningServer {
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait (a crash). */
  kill(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'exchange-server-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startServer(options: { dataDir?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, ADMIN_API_KEY, JWT_SECRET, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms: ${stderr.join('')}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry['msg'] === 'listening') {
          clearTimeout(timer);
          resolve(entry['port'] as number);
        }
      } catch {
        stderr.push(line);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
  const waitExit = async (): Promise<number | null> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return {
    port, dataDir, child, logs, httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`,
    stop: async () => {
      child.kill('SIGTERM');
      return waitExit();
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function adminPost(server: RunningServer, path: string, body: unknown, key = ADMIN_API_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(server: RunningServer, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.httpUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function token(account: string, roles: string[], options: { expiresInSeconds?: number; secret?: string } = {}): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(account)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1_000) + (options.expiresInSeconds ?? 3_600))
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

/** A venue with one symbol and funded accounts. */
export async function setUpMarket(server: RunningServer, accounts: string[], symbol = 'BTC-USD'): Promise<void> {
  const created = await adminPost(server, '/v1/admin/symbols', { symbol, base: 'BTC', quote: 'USD', tickSize: '0.01', lotSize: '0.001', makerFeeBps: 10, takerFeeBps: 20 });
  if (created.status !== 200) throw new Error(`symbol: ${JSON.stringify(created)}`);
  for (const account of accounts) {
    for (const [path, body] of [
      ['/v1/admin/accounts', { account }],
      ['/v1/admin/deposits', { account, asset: 'USD', amount: '10000000' }],
      ['/v1/admin/deposits', { account, asset: 'BTC', amount: '1000' }],
    ] as const) {
      const r = await adminPost(server, path, body);
      if (r.status !== 200) throw new Error(`${path}: ${JSON.stringify(r)}`);
    }
  }
}

/** A logged-in msgpack client of `account` that collects its execution reports; close it when done. */
export async function reportingClient(server: RunningServer, account: string): Promise<{ client: ExchangeClient; reports: ExecutionReportMessage[] }> {
  const client = new ExchangeClient({ requestTimeoutMs: 5_000 });
  const reports: ExecutionReportMessage[] = [];
  client.on('executionReport', (r) => reports.push(r));
  await client.connect(server.wsUrl, { encoding: 'msgpack', token: await token(account, ['trader']) });
  return { client, reports };
}

/** The first of `reports` that `matches` selects, waiting for it up to `timeoutMs`. */
export async function reportWhere(reports: readonly ExecutionReportMessage[], matches: (r: ExecutionReportMessage) => boolean, timeoutMs = 5_000): Promise<ExecutionReportMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = reports.find(matches);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no such report within ${timeoutMs} ms: ${JSON.stringify(reports)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a msgpack WebSocket with `headers`: the open socket, or the HTTP status the upgrade was refused with. */
export function openSocket(server: RunningServer, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl, SUBPROTOCOL_MSGPACK, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    ws.once('error', (error) => reject(error));
  });
}
