// The endpoint's identity as clients see it: a cluster id and one topic id per topic. Topic ids
// (Metadata v10+, Fetch v13+) must survive restarts, or clients holding one get UNKNOWN_TOPIC_ID,
// so they are created once, at random, and kept in the state directory.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ensureDirectory, readWholeFile, writeFileAtomically, type FsOps } from '../../fs-ops.ts';

const IDENTITY_FILE_NAME = 'identity.json';
const IDENTITY_TEMP_FILE_NAME = 'identity.json.tmp';

export interface EndpointIdentity {
  readonly clusterId: string;
  /** Topic name -> UUID. */
  readonly topicIds: Readonly<Record<string, string>>;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseIdentity(path: string, text: string, topicNames: readonly string[]): EndpointIdentity {
  const value: unknown = JSON.parse(text);
  const record = value as { clusterId?: unknown; topicIds?: Record<string, unknown> };
  const topicIds: Record<string, string> = {};
  for (const name of topicNames) {
    const id = record.topicIds?.[name];
    if (typeof id !== 'string' || !UUID_PATTERN.test(id)) throw new Error(`${path}: no valid topic id for ${name}`);
    topicIds[name] = id;
  }
  if (typeof record.clusterId !== 'string' || record.clusterId === '') throw new Error(`${path}: no clusterId`);
  return { clusterId: record.clusterId, topicIds };
}

/** Loads the identity from `stateDir`, creating it (and the directory) on first use. */
export function loadOrCreateIdentity(fsOps: FsOps, stateDir: string, parentDir: string, topicNames: readonly string[]): EndpointIdentity {
  ensureDirectory(fsOps, stateDir, parentDir);
  const path = join(stateDir, IDENTITY_FILE_NAME);
  if (fsOps.existsSync(path)) return parseIdentity(path, readWholeFile(fsOps, path).toString('utf8'), topicNames);
  const identity: EndpointIdentity = {
    clusterId: randomUUID(),
    topicIds: Object.fromEntries(topicNames.map((name) => [name, randomUUID()])),
  };
  writeFileAtomically(fsOps, path, join(stateDir, IDENTITY_TEMP_FILE_NAME), [Buffer.from(`${JSON.stringify(identity, null, 2)}\n`)]);
  return identity;
}
