// Proves with real processes that a crash loses nothing acknowledged: a child running the durable core is SIGKILLed at seeded random moments (at least 20 times, some during recovery) and restarted, and every acknowledgement, the recovered state and the event log are audited against a clean replay (see crash-campaign.ts). Set JOURNAL_CRASH_SEED to replay a run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashCampaign } from './crash-campaign.ts';

const KILLS = 24;
const KILLS_REQUIRED = 20;
const TIME_LIMIT_MS = 40_000;
const KILL_DELAY_MS_MAX = 60;

test('SIGKILL at random moments never loses or invents an acknowledged effect', async (t) => {
  const seed = Number(process.env['JOURNAL_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`crash seed ${seed} (rerun with JOURNAL_CRASH_SEED=${seed})`);
  const report = await runCrashCampaign({ seed, kills: KILLS, timeLimitMs: TIME_LIMIT_MS, killDelayMsMax: KILL_DELAY_MS_MAX, log: (line) => t.diagnostic(line) });
  t.diagnostic(JSON.stringify(report));
  assert.ok(report.kills >= KILLS_REQUIRED, `only ${report.kills} kills within ${TIME_LIMIT_MS} ms`);
  assert.ok(report.acks > report.kills, 'the children made progress between kills');
});
