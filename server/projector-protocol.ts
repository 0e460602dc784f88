// The messages between the server and its projector child process (Node IPC). The server starts
// the child with its configuration, keeps it told of the journal's durable seq, and asks it to
// drain on shutdown; the child reports each store's position and lag.
import type { ServerConfig } from './config.ts';
import type { LoopStatus } from './projector-loop.ts';

/** The part of the server's configuration the projector runs with. */
export type ProjectorConfig = Pick<ServerConfig, 'dataDir' | 'pgUrl' | 'pgTlsCaFile' | 'pgMigrateOnStart' | 'redisUrl' | 'redisTlsCaFile' | 'redisKeyPrefix' | 'logLevel'>;

export type ToProjector =
  | { readonly kind: 'start'; readonly config: ProjectorConfig; readonly seqDurable: number }
  | { readonly kind: 'durable'; readonly seqDurable: number }
  /** Apply every durable event (up to `seqDurable`, final), then exit; give up after `timeoutMs`. */
  | { readonly kind: 'drain'; readonly seqDurable: number; readonly timeoutMs: number };

export interface StoreStatus extends LoopStatus {
  /** Events in the log not yet in the store. */
  readonly lagEvents: number;
}

export interface FromProjector {
  readonly kind: 'status';
  /** Events in the log (its end, whole batches). */
  readonly logEventIndexNext: number;
  readonly stores: readonly StoreStatus[];
}
