// The processes a sweep runs: the bare echo server, and one load-generator run per step (a child
// process, so that the sweep's own work never shares its event loop). Every child is tracked, so that
// the sweep can stop all of them however it ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LoadReport } from './loadgen-report.ts';

/** Server flags for load tests: the load generator is one address simulating many clients, so the per-address and per-session limits must not be what is measured. */
export const RATE_LIMITS_RAISED_ARGS: readonly string[] = ['--rate-ip', '1000000000', '--rate-session', '1000000000'];

const ECHO_SERVER = new URL('./echo-server.ts', import.meta.url).pathname;
const LOADGEN = new URL('./loadgen.ts', import.meta.url).pathname;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Beyond a step's own warm-up, duration and drain: process start, setup and reporting. */
const STEP_OVERHEAD_MS = 60_000;

const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGKILLs every child still running (the sweep is ending abnormally). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface EchoServer {
  readonly wsUrl: string;
  stop(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', ECHO_SERVER, '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the echo server did not start in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then(() => reject(new Error('the echo server exited before listening')));
  });
  return {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface LoadStep {
  readonly wsUrl: string;
  readonly rateHz: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly drainSeconds: number;
  readonly connections: number;
  readonly encoding: string;
  /** Undefined for the echo server. */
  readonly durability: string | undefined;
  readonly adminKey: string;
  readonly jwtSecret: string;
  readonly outFile: string;
}

/** Runs the load generator once, as `npm run loadgen` would, and returns its report. */
export async function runLoadgen(step: LoadStep): Promise<LoadReport> {
  const args = [
    '--import', 'tsx', LOADGEN, '--url', step.wsUrl, '--rate', String(step.rateHz), '--duration', String(step.durationSeconds),
    '--warmup', String(step.warmupSeconds), '--drain', String(step.drainSeconds), '--connections', String(step.connections),
    '--encoding', step.encoding, '--out', step.outFile,
    ...(step.durability === undefined ? ['--echo'] : ['--admin-key', step.adminKey, '--durability', step.durability]),
  ];
  const child = track(spawn(process.execPath, args, { env: { ...process.env, JWT_SECRET: step.jwtSecret }, stdio: ['ignore', 'pipe', 'pipe'] }));
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const timeoutMs = (step.warmupSeconds + step.durationSeconds + step.drainSeconds) * 1_000 + STEP_OVERHEAD_MS;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`loadgen exited with ${code}: ${output.join('')}`);
  return JSON.parse(readFileSync(step.outFile, 'utf8')) as LoadReport;
}
