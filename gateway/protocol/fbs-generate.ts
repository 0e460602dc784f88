// Generates the committed FlatBuffers TypeScript (fbs/exchange_generated.ts) from exchange.fbs with
// flatc 2.0.8, the version Debian ships and scripts/system-tools.txt installs. Run after editing the
// schema: `node --import tsx gateway/protocol/fbs-generate.ts`. A test regenerates into a temporary
// directory and asserts the committed file is identical.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const FLATC_VERSION = '2.0.8';
const SCHEMA_PATH = fileURLToPath(new URL('./exchange.fbs', import.meta.url));
export const GENERATED_DIR = fileURLToPath(new URL('./fbs/', import.meta.url));
export const GENERATED_FILE = 'exchange_generated.ts';

/**
 * flatc 2.0.8 declares a type parameter it never uses on the union accessor, which the repository's
 * noUnusedParameters refuses. Dropping it is the only edit made to flatc's output, so the generated
 * code is type-checked like every other file instead of being excluded or marked @ts-nocheck.
 */
const UNUSED_TYPE_PARAMETER = 'body<T extends flatbuffers.Table>(obj:any)';

export function patchGenerated(text: string): string {
  const count = text.split(UNUSED_TYPE_PARAMETER).length - 1;
  if (count !== 1) throw new Error(`flatc output has ${count} copies of "${UNUSED_TYPE_PARAMETER}", expected 1: a different flatc version?`);
  return text.replace(UNUSED_TYPE_PARAMETER, 'body(obj:any)');
}

/** The installed flatc's version, or undefined when there is none. */
export function flatcVersion(): string | undefined {
  const run = spawnSync('flatc', ['--version'], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) return undefined;
  return /version ([0-9.]+)/.exec(run.stdout)?.[1] ?? run.stdout.trim();
}

/** Writes the generated code into `outDir` (created by the caller). */
export function generateFlatbuffersCode(outDir: string): void {
  const scratch = mkdtempSync(join(tmpdir(), 'flatc-'));
  try {
    const run = spawnSync('flatc', ['--ts', '--ts-flat-files', '-o', scratch, SCHEMA_PATH], { encoding: 'utf8' });
    if (run.error !== undefined || run.status !== 0) throw new Error(`flatc failed: ${run.error?.message ?? ''}${run.stdout}${run.stderr}`);
    const text = readFileSync(join(scratch, GENERATED_FILE), 'utf8');
    writeFileSync(join(outDir, GENERATED_FILE), patchGenerated(text));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const version = flatcVersion();
  if (version !== FLATC_VERSION) throw new Error(`flatc ${FLATC_VERSION} is required, found ${version ?? 'none'} (scripts/ensure-system-tools.sh installs it)`);
  generateFlatbuffersCode(GENERATED_DIR);
  console.log(`wrote ${join(GENERATED_DIR, GENERATED_FILE)}`);
}
