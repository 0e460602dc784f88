// `npm run soak:crash -- [--kills N] [--seed S] [--delay-ms D]`: the crash test's campaign at a
// larger scale (default 200 kills). Prints the seed first so any failure can be replayed.

import { parseArgs } from 'node:util';
import { runCrashCampaign } from './crash-campaign.ts';

const KILLS_DEFAULT = 200;
const KILL_DELAY_MS_MAX_DEFAULT = 150;
/** Generous: each life costs a process start and a recovery. */
const TIME_PER_KILL_MS = 5_000;

const { values } = parseArgs({ options: { kills: { type: 'string' }, seed: { type: 'string' }, 'delay-ms': { type: 'string' } } });
const kills = Number(values.kills ?? KILLS_DEFAULT);
const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
const killDelayMsMax = Number(values['delay-ms'] ?? KILL_DELAY_MS_MAX_DEFAULT);
if (![kills, seed, killDelayMsMax].every((value) => Number.isSafeInteger(value) && value >= 0)) {
  console.error('usage: npm run soak:crash -- [--kills N] [--seed S] [--delay-ms D]');
  process.exit(2);
}
console.log(`crash soak: seed ${seed}, ${kills} kills, kill delay up to ${killDelayMsMax} ms`);
const startMs = performance.now();
try {
  const report = await runCrashCampaign({ seed, kills, timeLimitMs: kills * TIME_PER_KILL_MS, killDelayMsMax, log: (line) => console.log(line) });
  console.log(JSON.stringify({ ...report, seconds: Math.round((performance.now() - startMs) / 1000) }));
  if (report.kills < kills) throw new Error(`only ${report.kills} of ${kills} kills in time`);
} catch (error) {
  console.error(`crash soak FAILED (seed ${seed}):`, error);
  process.exitCode = 1;
}
