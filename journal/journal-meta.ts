// `DIR/journal.json`: what a reader must know to rebuild the engine that wrote the journal (record
// sizes, format version, engine configuration). Written once, atomically, when the journal is
// created; every later open checks it, so verify and replay build the same engine as ingest did.

import { dirname, join } from 'node:path';
import { DEFAULT_ENGINE_CONFIG, validateEngineConfig, type EngineConfig } from '../engine/limits.ts';
import { COMMAND_RECORD_SIZE_BYTES, EVENT_RECORD_SIZE_BYTES } from './core-records.ts';
import { JournalStateError } from './errors.ts';
import { ensureDirectory, readWholeFile, writeFileAtomically, type FsOps } from './fs-ops.ts';

const JOURNAL_META_FILE_NAME = 'journal.json';
const JOURNAL_META_TEMP_FILE_NAME = 'journal.json.tmp';
/** Version of the on-disk layout described in FORMAT.md (segments, snapshots, this file). */
export const JOURNAL_FORMAT_VERSION = 2;

export interface JournalMeta {
  readonly formatVersion: number;
  readonly commandSizeBytes: number;
  readonly eventSizeBytes: number;
  readonly engineConfig: EngineConfig;
}

export function journalMetaPath(dir: string): string {
  return join(dir, JOURNAL_META_FILE_NAME);
}

/** The engine configuration in `value`, with exactly the keys (and value types) the engine defines. */
function parseEngineConfig(path: string, value: unknown): EngineConfig {
  if (typeof value !== 'object' || value === null) throw new JournalStateError(path, 'engineConfig is not an object');
  const entries = Object.entries(value);
  const expected = Object.entries(DEFAULT_ENGINE_CONFIG);
  const keysFound = entries.map(([key]) => key).sort().join();
  const keysExpected = expected.map(([key]) => key).sort().join();
  if (keysFound !== keysExpected) throw new JournalStateError(path, `engineConfig has keys ${keysFound}, the engine expects ${keysExpected}`);
  for (const [key, defaultValue] of expected) {
    const found: unknown = (value as Record<string, unknown>)[key];
    if (typeof found !== typeof defaultValue) throw new JournalStateError(path, `engineConfig.${key} is ${JSON.stringify(found)}`);
  }
  const config = value as EngineConfig;
  try {
    validateEngineConfig(config);
  } catch (error) {
    throw new JournalStateError(path, `engineConfig refused by the engine: ${error instanceof Error ? error.message : String(error)}`);
  }
  return config;
}

function parseMeta(path: string, text: string): JournalMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JournalStateError(path, 'not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new JournalStateError(path, 'not a JSON object');
  const record = value as Record<string, unknown>;
  const expected = { formatVersion: JOURNAL_FORMAT_VERSION, commandSizeBytes: COMMAND_RECORD_SIZE_BYTES, eventSizeBytes: EVENT_RECORD_SIZE_BYTES };
  for (const [key, expectedValue] of Object.entries(expected)) {
    if (record[key] !== expectedValue) throw new JournalStateError(path, `${key} is ${JSON.stringify(record[key])}, this build needs ${expectedValue}`);
  }
  return { ...expected, engineConfig: parseEngineConfig(path, record['engineConfig']) };
}

function sameConfig(a: EngineConfig, b: EngineConfig): boolean {
  return Object.keys(DEFAULT_ENGINE_CONFIG).every((key) => a[key as keyof EngineConfig] === b[key as keyof EngineConfig]);
}

/**
 * Reads `DIR/journal.json`, or creates it (and DIR) from `engineConfig` for a new journal. An
 * existing file must agree with `engineConfig` when one is given.
 */
export function openJournalMeta(dir: string, engineConfig: EngineConfig | undefined, fsOps: FsOps): JournalMeta {
  const path = journalMetaPath(dir);
  if (fsOps.existsSync(path)) {
    const meta = parseMeta(path, readWholeFile(fsOps, path).toString('utf8'));
    if (engineConfig !== undefined && !sameConfig(meta.engineConfig, engineConfig)) {
      throw new JournalStateError(path, 'the journal was written with another engine configuration');
    }
    return meta;
  }
  if (engineConfig === undefined) throw new JournalStateError(path, 'missing: not a journal directory (create one with an engine configuration)');
  validateEngineConfig(engineConfig);
  const meta: JournalMeta = {
    formatVersion: JOURNAL_FORMAT_VERSION,
    commandSizeBytes: COMMAND_RECORD_SIZE_BYTES,
    eventSizeBytes: EVENT_RECORD_SIZE_BYTES,
    engineConfig: { ...engineConfig },
  };
  ensureDirectory(fsOps, dir, dirname(dir));
  writeFileAtomically(fsOps, path, join(dir, JOURNAL_META_TEMP_FILE_NAME), [Buffer.from(`${JSON.stringify(meta, null, 2)}\n`)]);
  return meta;
}
