// Runs Debian's kcat (librdkafka) as a consumer and parses its -J output. kcat writes record bytes
// into its JSON strings raw (control characters escaped), so stdout is read as latin1 and every
// string mapped back to bytes the same way.

import { spawn, spawnSync } from 'node:child_process';

export const KCAT_MISSING = spawnSync('sh', ['-c', 'command -v kcat'], { stdio: 'ignore' }).status === 0
  ? false
  : 'kcat is not installed (npm test installs it through scripts/ensure-system-tools.sh)';

export interface KcatRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly timestampType: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: readonly (readonly [string, Buffer])[];
}

interface KcatJson {
  offset: number;
  tstype: string;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

export function parseKcatJson(stdout: Buffer): KcatRecord[] {
  return stdout
    .toString('latin1')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const json = JSON.parse(line) as KcatJson;
      const headerList = json.headers ?? [];
      const headers: [string, Buffer][] = [];
      for (let index = 0; index < headerList.length; index += 2) headers.push([headerList[index]!, Buffer.from(headerList[index + 1]!, 'latin1')]);
      return {
        offset: json.offset,
        timestampMs: json.ts,
        timestampType: json.tstype,
        key: json.key === null ? null : Buffer.from(json.key, 'latin1'),
        value: Buffer.from(json.payload ?? '', 'latin1'),
        headers,
      };
    });
}

export interface KcatRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs kcat to completion (or kills it after `timeoutMs`). */
export function runKcat(args: readonly string[], timeoutMs: number): Promise<KcatRun> {
  return new Promise((resolve) => {
    const child = spawn('kcat', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
