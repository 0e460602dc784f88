// Small helpers every benchmark shares: the median, and a line describing the machine it ran on.
import { cpus, totalmem } from 'node:os';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function setupLine(what: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  return `# ${what} | node ${process.version} | ${cpus().length} x ${cpu} | ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
}
