// The crash campaign shared by the crash test and `npm run soak:crash`: runs crash-child.ts in a
// real process, SIGKILLs it at seeded random moments (some during recovery), restarts it, and
// audits every acknowledgement it printed against what survives:
//   - each restart recovers at least up to the highest acknowledged seq;
//   - each ack was printed after an fdatasync covering it (seqSynced >= seqDurable), and acks of
//     one life are contiguous from the recovered seq;
//   - the released events of each ack are exactly the events a clean replay gives those seqs;
//   - the final recovery's state hash equals a clean in-memory replay of the recovered commands,
//     and the derived event log equals that replay's events byte for byte.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../engine/engine.ts';
import { EVENT_SIZE_BYTES } from '../../engine/schema.ts';
import { NO_CLOCK_US } from '../../journal/sequencer.ts';
import { replayJournal } from '../../journal/command-replay.ts';
import { readSafeU64LE } from '../../journal/bytes.ts';
import { DurableCore } from '../../journal/durable-core.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { RISK_ENGINE_CONFIG, randomFor } from './command-streams.ts';
import { eventLogBytes } from './core-helpers.ts';

const CHILD_PATH = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
/** Share of kills aimed at startup (module load and recovery) rather than at the running stream. */
const EARLY_KILL_SHARE = 0.2;
const EARLY_KILL_WINDOW_MS = 600;
const READY_TIMEOUT_MS = 30_000;
const EVENT_SEQ_OFFSET_BYTES = 8;

export interface CampaignOptions {
  readonly seed: number;
  readonly kills: number;
  /** The campaign stops killing at this deadline even if fewer kills were made. */
  readonly timeLimitMs: number;
  /** A running child is killed 0..this many ms after it reported ready. */
  readonly killDelayMsMax: number;
  readonly log: (line: string) => void;
}

export interface CampaignReport {
  readonly kills: number;
  readonly killsDuringStartup: number;
  readonly acks: number;
  readonly seqAckedMax: number;
  readonly seqRecovered: number;
  readonly stateHash: string;
}

interface Ack {
  readonly life: number;
  readonly seqFirst: number;
  readonly seqDurable: number;
  readonly seqSynced: number;
  readonly eventCount: number;
  readonly digest: string;
}

interface Life {
  readonly ready: number | null;
  readonly acks: Ack[];
  readonly stderr: string;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a rejection after `timeoutMs`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one child until it is killed; `kill` decides when, given a promise of its ready line. */
async function runLife(dir: string, seed: number, life: number, kill: (ready: Promise<number>) => Promise<void>, children: Set<ChildProcess>): Promise<Life> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_PATH, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  let ready: number | null = null;
  const acks: Ack[] = [];
  let resolveReady: (seq: number) => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const readyPromise = new Promise<number>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  readyPromise.catch(() => {});
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, ...fields] = line.split(' ');
      if (kind === 'ready') {
        ready = Number(fields[0]);
        resolveReady(ready);
      } else if (kind === 'ack') {
        const [seqFirst, seqDurable, seqSynced, eventCount] = fields.slice(0, 4).map(Number) as [number, number, number, number];
        acks.push({ life, seqFirst, seqDurable, seqSynced, eventCount, digest: fields[4] ?? '' });
      } else {
        throw new Error(`child ${life} printed ${JSON.stringify(line)}`);
      }
    }
  });
  void exited.then(() => rejectReady(new Error(`child ${life} exited before it was ready: ${stderr}`)));
  try {
    await kill(readyPromise);
    child.kill('SIGKILL');
    await exited;
  } finally {
    children.delete(child);
  }
  return { ready, acks, stderr };
}

/** Events of a clean replay from seq 1, with each seq's byte range in them. */
function cleanReplay(dir: string): { engine: Engine; events: Buffer; rangeBySeq: Map<number, [number, number]> } {
  const engine = new Engine(RISK_ENGINE_CONFIG);
  const chunks: Buffer[] = [];
  replayJournal({ dir, engine, truncateTail: false, fsOps: nodeFsOps, onEvents: (events, count) => chunks.push(Buffer.from(events.subarray(0, count * EVENT_SIZE_BYTES))) });
  const events = Buffer.concat(chunks);
  const rangeBySeq = new Map<number, [number, number]>();
  for (let at = 0; at < events.length; at += EVENT_SIZE_BYTES) {
    const seq = readSafeU64LE(events, at + EVENT_SEQ_OFFSET_BYTES);
    const range = rangeBySeq.get(seq);
    if (range === undefined) rangeBySeq.set(seq, [at, at + EVENT_SIZE_BYTES]);
    else range[1] = at + EVENT_SIZE_BYTES;
  }
  return { engine, events, rangeBySeq };
}

function auditAcks(acks: readonly Ack[], lifeReady: ReadonlyMap<number, number>, replay: ReturnType<typeof cleanReplay>): void {
  let previous: Ack | null = null;
  for (const ack of acks) {
    assert.ok(ack.seqSynced >= ack.seqDurable, `ack of seq ${ack.seqDurable} (life ${ack.life}) was released before an fdatasync covered it (synced ${ack.seqSynced})`);
    const seqExpected: number = previous !== null && previous.life === ack.life ? previous.seqDurable + 1 : (lifeReady.get(ack.life) ?? NaN) + 1;
    assert.equal(ack.seqFirst, seqExpected, `life ${ack.life}: acks must continue the recovered stream`);
    let start = -1;
    let end = -1;
    for (let seq = ack.seqFirst; seq <= ack.seqDurable; seq++) {
      const range = replay.rangeBySeq.get(seq);
      if (range === undefined) continue;
      if (start < 0) start = range[0];
      end = range[1];
    }
    const released = start < 0 ? Buffer.alloc(0) : replay.events.subarray(start, end);
    assert.equal(ack.eventCount, released.length / EVENT_SIZE_BYTES, `ack ${ack.seqFirst}..${ack.seqDurable}: event count`);
    assert.equal(ack.digest, createHash('sha256').update(released).digest('hex'), `ack ${ack.seqFirst}..${ack.seqDurable}: released events differ from a clean replay`);
    previous = ack;
  }
}

export async function runCrashCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const { seed, log } = options;
  const random = randomFor(seed, 0);
  const dir = mkdtempSync(join(tmpdir(), 'journal-crash-'));
  const children = new Set<ChildProcess>();
  const deadlineMs = Date.now() + options.timeLimitMs;
  const acks: Ack[] = [];
  const lifeReady = new Map<number, number>();
  let seqAckedMax = 0;
  let kills = 0;
  let killsDuringStartup = 0;
  try {
    while (kills < options.kills && Date.now() < deadlineMs) {
      const early = random() < EARLY_KILL_SHARE;
      const delayMs = random() * (early ? EARLY_KILL_WINDOW_MS : options.killDelayMsMax);
      const life = await runLife(dir, seed, kills, async (ready) => {
        if (early) return delay(delayMs);
        await within(ready, READY_TIMEOUT_MS, 'recovery of a restarted child');
        return delay(delayMs);
      }, children);
      kills++;
      if (kills % 10 === 0) log(`crash campaign seed ${seed}: ${kills} kills, acknowledged up to seq ${seqAckedMax}`);
      if (life.ready === null) {
        killsDuringStartup++;
        continue;
      }
      assert.ok(life.ready >= seqAckedMax, `life ${kills - 1} recovered to seq ${life.ready}, but seq ${seqAckedMax} was acknowledged`);
      lifeReady.set(kills - 1, life.ready);
      acks.push(...life.acks);
      for (const ack of life.acks) seqAckedMax = Math.max(seqAckedMax, ack.seqDurable);
    }
    const core = DurableCore.open({ dir, clockUs: NO_CLOCK_US });
    const seqRecovered = core.seqDurable;
    const stateHash = core.engine.stateHash();
    await core.close();
    assert.ok(seqRecovered >= seqAckedMax, `recovered to seq ${seqRecovered}, acknowledged ${seqAckedMax}`);
    const replay = cleanReplay(dir);
    assert.equal(replay.engine.seqLast, seqRecovered);
    assert.equal(stateHash, replay.engine.stateHash(), 'recovered state differs from a clean replay of the recovered commands');
    assert.ok(eventLogBytes(dir).equals(replay.events), 'the event log differs from a clean replay\'s events');
    auditAcks(acks, lifeReady, replay);
    return { kills, killsDuringStartup, acks: acks.length, seqAckedMax, seqRecovered, stateHash };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
