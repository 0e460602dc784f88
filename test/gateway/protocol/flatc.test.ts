// Proves the committed FlatBuffers code is exactly what flatc 2.0.8 generates from exchange.fbs today (plus the one documented patch), so the schema and the code cannot drift apart.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FLATC_VERSION, GENERATED_DIR, GENERATED_FILE, flatcVersion, generateFlatbuffersCode, patchGenerated } from '../../../gateway/protocol/fbs-generate.ts';

const version = flatcVersion();
const missing = version === undefined ? 'flatc is not installed' : version !== FLATC_VERSION ? `flatc is ${version}, not ${FLATC_VERSION}` : undefined;
if (missing !== undefined) {
  if (process.env['REQUIRE_SERVICES'] === '1') throw new Error(`${missing} (scripts/ensure-system-tools.sh installs it)`);
  console.warn(`\n*** flatc.test.ts SKIPPED: ${missing}; the committed FlatBuffers code is NOT checked against exchange.fbs ***\n`);
}

test('regenerating from exchange.fbs gives the committed file, byte for byte', { skip: missing }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'fbs-'));
  try {
    generateFlatbuffersCode(outDir);
    assert.deepEqual(readdirSync(outDir), [GENERATED_FILE]);
    assert.deepEqual(readdirSync(GENERATED_DIR), [GENERATED_FILE]);
    const fresh = readFileSync(join(outDir, GENERATED_FILE), 'utf8');
    const committed = readFileSync(join(GENERATED_DIR, GENERATED_FILE), 'utf8');
    assert.ok(fresh === committed, 'gateway/protocol/fbs/ is stale: run node --import tsx gateway/protocol/fbs-generate.ts');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('the patch removes only the unused type parameter, and refuses output it does not recognise', () => {
  const line = 'body<T extends flatbuffers.Table>(obj:any):any|null {';
  assert.equal(patchGenerated(`a\n${line}\nb`), 'a\nbody(obj:any):any|null {\nb');
  assert.throws(() => patchGenerated('a\nb'), /expected 1/);
  assert.throws(() => patchGenerated(`${line}\n${line}`), /expected 1/);
});
