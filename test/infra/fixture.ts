// Scratch copies of the real deployment files for mutation tests: a test breaks one rule in a copy and asserts that
// the check names the file, the resource and the rule. Copies live under one temp dir removed at exit.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatViolation, type Violation } from '../../scripts/infra/violation.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const terraformDir = join(repoRoot, 'infra-terraform');
export const dockerfilePath = join(repoRoot, 'Dockerfile');
export const monitoringDir = join(repoRoot, 'monitoring');

const scratchRoot = mkdtempSync(join(tmpdir(), 'infra-test-'));
process.on('exit', () => rmSync(scratchRoot, { recursive: true, force: true }));
let copies = 0;

/** A fresh empty directory. */
export function scratchDir(): string {
  copies += 1;
  const target = join(scratchRoot, `${copies}-scratch`);
  mkdirSync(target);
  return target;
}

/** A fresh copy of a file or directory. */
export function copyOf(path: string): string {
  copies += 1;
  const target = join(scratchRoot, `${copies}-${basename(path)}`);
  cpSync(path, target, { recursive: true });
  return target;
}

/** Replaces the first match in a file; a mutation that matches nothing is a broken test, so it throws. */
export function edit(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  assert.ok(found, `mutation target not found in ${path}: ${String(from)}`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * Applies one mutation to a shared copy, runs the check, and restores the file whatever happens: the many mutation
 * tests of one check then pay for one copy, not one each.
 */
export async function withMutation<T>(path: string, from: string | RegExp, to: string, check: () => Promise<T> | T): Promise<T> {
  const original = readFileSync(path, 'utf8');
  edit(path, from, to);
  try {
    return await check();
  } finally {
    writeFileSync(path, original);
  }
}

export interface Expected {
  /** End of the reported file path, e.g. `alb.tf` or `env/prod.tfvars`. */
  file: string;
  address: string;
  rule: string;
}

export function assertReports(findings: Violation[], expected: Expected): void {
  const hit = findings.find((f) => f.file.endsWith(expected.file) && f.address === expected.address && f.rule === expected.rule);
  assert.ok(hit, `expected ${expected.file}: ${expected.address}: [${expected.rule}], got:\n${findings.map(formatViolation).join('\n') || '(nothing)'}`);
}

export function assertClean(findings: Violation[]): void {
  assert.deepEqual(findings.map(formatViolation), []);
}
