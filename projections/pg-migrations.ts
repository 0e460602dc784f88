// The versioned migrations of the PostgreSQL projection, oldest first. A migration is never edited
// once released (its checksum is recorded and checked); a change is a new version.
import * as initial from './migrations/0001-initial.ts';
import * as keysInQueryIndexes from './migrations/0002-keys-in-query-indexes.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: initial.name, sql: initial.sql },
  { version: 2, name: keysInQueryIndexes.name, sql: keysInQueryIndexes.sql },
];
