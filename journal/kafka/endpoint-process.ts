// Starts the endpoint as its own process (what the server should do when asked to serve Kafka
// consumers, and what the tests do): resolves once the child logged "listening", with the bound
// port. stop() sends SIGTERM and waits for the exit, then SIGKILL after a grace period.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CommandVisibility } from './log/journal-topics.ts';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const CLI_PATH = fileURLToPath(new URL(FROM_SOURCES ? './cli.ts' : './cli.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export interface EndpointProcessOptions {
  readonly dataDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly stateDir?: string;
  readonly logLevel?: string;
  readonly visibility?: CommandVisibility;
  /** Every stdout line after "listening" (pino JSON), e.g. for a server's own log. */
  readonly onLogLine?: (line: string) => void;
}

export interface EndpointProcess {
  readonly child: ChildProcess;
  readonly host: string;
  readonly port: number;
  /** "host:port", as clients take it. */
  readonly bootstrap: string;
  stop(): Promise<number | null>;
}

export function startEndpointProcess(options: EndpointProcessOptions): Promise<EndpointProcess> {
  const args = ['--data-dir', options.dataDir, '--port', String(options.port ?? 0), '--host', options.host ?? '127.0.0.1', '--log-level', options.logLevel ?? 'info'];
  if (options.stateDir !== undefined) args.push('--state-dir', options.stateDir);
  if (options.visibility !== undefined) args.push('--visibility', options.visibility);
  const nodeArgs = FROM_SOURCES ? ['--import', 'tsx', CLI_PATH] : [CLI_PATH];
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Kafka endpoint did not start within ${START_TIMEOUT_MS} ms: ${stderr.join('')}`));
    }, START_TIMEOUT_MS);
    let started = false;
    // Keep reading stdout for the child's whole life, so its log never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (started) {
        options.onLogLine?.(line);
        return;
      }
      let entry: { msg?: unknown; host?: unknown; port?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg !== 'listening' || typeof entry.port !== 'number' || typeof entry.host !== 'string') return;
      started = true;
      clearTimeout(timer);
      const { host, port } = entry as { host: string; port: number };
      resolve({
        child,
        host,
        port,
        bootstrap: `${host}:${port}`,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          child.kill('SIGTERM');
          const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          const code = await exited;
          clearTimeout(killTimer);
          return code;
        },
      });
    });
    void exited.then((code) => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`the Kafka endpoint exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
}
