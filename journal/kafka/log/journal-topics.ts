// The journal's two logs as the endpoint's topics, kept current: fs.watch on both directories
// wakes a refresh as soon as the writer appends, and a short poll catches whatever the watch
// misses (a directory created later, an overflowed inotify queue). Refreshes never overlap; a
// wake-up during one runs another right after. Listeners hear about every high-watermark move.

import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_RECORD_SIZE_BYTES, EVENT_RECORD_LAYOUT } from '../../core-records.ts';
import { nodeFsOps } from '../../fs-ops.ts';
import { journalMetaPath, openJournalMeta } from '../../journal-meta.ts';
import { commandLayout } from '../../record-layout.ts';
import { COMMANDS_DIR_NAME, EVENTS_DIR_NAME } from '../../segment-files.ts';
import type { EndpointLog } from '../endpoint-log.ts';
import { TopicLog, type LogStall } from './topic-log.ts';

export const TOPIC_COMMANDS = 'commands';
export const TOPIC_EVENTS = 'events';
export type TopicName = typeof TOPIC_COMMANDS | typeof TOPIC_EVENTS;
export const TOPIC_NAMES: readonly TopicName[] = [TOPIC_COMMANDS, TOPIC_EVENTS];
/** Backstop for missed watch events; bounds how late an append can be noticed. */
export const LOG_POLL_INTERVAL_MS = 10;
/**
 * When a command batch becomes visible: 'synced' (default) once this process fdatasync'ed it,
 * 'written' once it is whole and valid on disk, trusting the writer's own fdatasync.
 */
export type CommandVisibility = 'synced' | 'written';
/** The journal writer's first seq (commands) and the event log's first index. */
const COMMAND_SEQ_FIRST = 1;
const EVENT_INDEX_FIRST = 0;

export class JournalTopics {
  readonly #dataDir: string;
  readonly #logs: ReadonlyMap<TopicName, TopicLog>;
  readonly #log: EndpointLog;
  readonly #listeners = new Set<() => void>();
  readonly #watchers = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | null = null;
  #refreshing = false;
  #again = false;
  #closed = false;
  /** refreshNow callers, answered after the next complete refresh. */
  #waiters: (() => void)[] = [];
  #stallReported: string | null = null;

  private constructor(dataDir: string, log: EndpointLog, visibility: CommandVisibility) {
    this.#dataDir = dataDir;
    this.#log = log;
    this.#logs = new Map<TopicName, TopicLog>([
      [TOPIC_COMMANDS, new TopicLog({ dirPath: join(dataDir, COMMANDS_DIR_NAME), format: { layout: commandLayout(COMMAND_RECORD_SIZE_BYTES), seqHeader: false }, offsetEmpty: COMMAND_SEQ_FIRST, gate: visibility === 'synced' ? 'durableSync' : 'written' })],
      [TOPIC_EVENTS, new TopicLog({ dirPath: join(dataDir, EVENTS_DIR_NAME), format: { layout: EVENT_RECORD_LAYOUT, seqHeader: true }, offsetEmpty: EVENT_INDEX_FIRST, gate: 'commandSeq' })],
    ]);
  }

  /** Opens the journal in `dataDir` (which may not hold segments yet) and reads what is there. */
  static async open(dataDir: string, log: EndpointLog, visibility: CommandVisibility = 'synced'): Promise<JournalTopics> {
    if (!existsSync(dataDir)) throw new Error(`data dir ${dataDir} does not exist`);
    // journal.json is written by the first writer; when present it must match this build's records.
    if (existsSync(journalMetaPath(dataDir))) openJournalMeta(dataDir, undefined, nodeFsOps);
    const topics = new JournalTopics(dataDir, log, visibility);
    await topics.#refreshOnce();
    topics.#attachWatchers();
    topics.#timer = setInterval(() => {
      topics.#attachWatchers();
      topics.requestRefresh();
    }, LOG_POLL_INTERVAL_MS);
    return topics;
  }

  topic(name: string): TopicLog | undefined {
    return this.#logs.get(name as TopicName);
  }

  /** The last command seq that is durable (0 when none is). */
  get durableSeq(): number {
    return this.#logs.get(TOPIC_COMMANDS)!.highWatermark - 1;
  }

  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  requestRefresh(): void {
    if (this.#closed) {
      for (const resolve of this.#waiters.splice(0)) resolve();
      return;
    }
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = true;
    void this.#refreshLoop();
  }

  /** Resolves after a refresh that started after this call has finished. */
  refreshNow(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.requestRefresh();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    for (const log of this.#logs.values()) await log.close();
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  async #refreshLoop(): Promise<void> {
    do {
      this.#again = false;
      const waiters = this.#waiters;
      this.#waiters = [];
      try {
        await this.#refreshOnce();
      } catch (error) {
        this.#log.error({ err: error }, 'journal refresh failed; retrying on the next poll');
      }
      for (const resolve of waiters) resolve();
    } while ((this.#again || this.#waiters.length > 0) && !this.#closed);
    this.#refreshing = false;
  }

  async #refreshOnce(): Promise<void> {
    const commands = this.#logs.get(TOPIC_COMMANDS)!;
    const events = this.#logs.get(TOPIC_EVENTS)!;
    const before = [commands.highWatermark, commands.logStartOffset, events.highWatermark, events.logStartOffset].join();
    await commands.refresh(Infinity);
    // Events follow the commands: only those of durable commands are visible.
    await events.refresh(this.durableSeq);
    this.#reportStall(commands.stall ?? events.stall);
    if (before !== [commands.highWatermark, commands.logStartOffset, events.highWatermark, events.logStartOffset].join()) {
      for (const listener of this.#listeners) listener();
    }
  }

  #reportStall(stall: LogStall | null): void {
    const key = stall === null ? null : `${stall.path}:${stall.positionBytes}`;
    if (key === this.#stallReported) return;
    this.#stallReported = key;
    if (stall !== null) this.#log.warn({ stall }, 'journal batch not (yet) valid; nothing after it is served');
  }

  #attachWatchers(): void {
    for (const name of [COMMANDS_DIR_NAME, EVENTS_DIR_NAME]) {
      const dirPath = join(this.#dataDir, name);
      if (this.#watchers.has(dirPath) || !existsSync(dirPath)) continue;
      try {
        const watcher = watch(dirPath, { persistent: false }, () => this.requestRefresh());
        watcher.on('error', () => {
          watcher.close();
          this.#watchers.delete(dirPath);
        });
        this.#watchers.set(dirPath, watcher);
      } catch {
        // The directory vanished between the check and the watch; the poll tries again.
      }
    }
  }
}
