// Proves engine/ stays a pure core: no clock, randomness, timers, await or I/O, and no imports outside engine/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const ENGINE_DIR = new URL('../../engine/', import.meta.url);
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\b/, 'Date'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bperformance\b|\bhrtime\b/, 'a clock'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, 'timers'],
  [/\bawait\b|\basync\b|\bPromise\b/, 'asynchrony'],
  [/\bprocess\./, 'process'],
];
const ALLOWED_IMPORT = /^(\.\/[\w-]+\.ts|node:crypto)$/;

test('engine sources use no clock, randomness, timers, asynchrony or process state', () => {
  const files = readdirSync(ENGINE_DIR).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const file of files) {
    const code = readFileSync(new URL(file, ENGINE_DIR), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    for (const [pattern, what] of FORBIDDEN) assert.doesNotMatch(code, pattern, `engine/${file} uses ${what}`);
    for (const m of code.matchAll(/\bfrom '([^']+)'/g)) assert.match(m[1] as string, ALLOWED_IMPORT, `engine/${file} imports ${m[1]}`);
  }
});
