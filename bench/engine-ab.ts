// `npm run bench:engine-ab -- FLOW.csv [--base REF] [--rounds N]`: the engine of git ref REF (default
// HEAD) against the engine of the working tree, on the same order-flow file, in ONE process, timed in
// alternation. On a shared machine whose speed swings within minutes, this ratio is the only figure
// that tells whether a change to the core made it faster. Both sides are compiled by tsc (the code
// that runs in production, not tsx's transform) into a scratch directory, which is removed after.
// Prints each round's ratio, then one JSON line: both medians and the ratio of the medians.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, setupLine } from './report.ts';

const REPO = new URL('..', import.meta.url).pathname;
/** What a build needs to time a flow: the engine, and bench/engine.ts with its helper. */
const SOURCES = ['engine', 'bench/engine.ts', 'bench/report.ts', 'tsconfig.json', 'package.json'];
const WARMUP_RUNS = 2;

interface Build {
  readonly timeFlow: (program: unknown) => number;
  readonly program: { readonly orders: readonly unknown[] };
}

/** Copies the sources of `ref` (or of the working tree when ref is null) into `dir`. */
function checkOut(ref: string | null, dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (ref === null) {
    for (const path of SOURCES) cpSync(join(REPO, path), join(dir, path), { recursive: true });
    return;
  }
  const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', ref, '--', ...SOURCES], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
}

/** Compiles the sources in `dir` with the repository's tsconfig into `dir/out`. */
function compile(dir: string): string {
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'tsconfig.ab.json'), JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { noEmit: false, outDir: out, rootDir: '.', rewriteRelativeImportExtensions: true },
    include: ['engine', 'bench/engine.ts', 'bench/report.ts'],
  }));
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.ab.json')], { stdio: 'inherit' });
  cpSync(join(dir, 'package.json'), join(out, 'package.json'));
  return out;
}

async function load(out: string, flowText: string): Promise<Build> {
  const orderflow = (await import(join(out, 'engine/orderflow.js'))) as { compileFlow: (text: string) => Build['program'] };
  const bench = (await import(join(out, 'bench/engine.js'))) as { timeFlow: Build['timeFlow'] };
  return { timeFlow: bench.timeFlow, program: orderflow.compileFlow(flowText) };
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { base: { type: 'string', default: 'HEAD' }, rounds: { type: 'string', default: '10' } } });
const flowPath = positionals[0];
const rounds = Number(values.rounds);
if (flowPath === undefined || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: npm run bench:engine-ab -- FLOW.csv [--base REF] [--rounds N >= 1]');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'engine-ab-'));
try {
  const flowText = readFileSync(flowPath, 'utf8');
  checkOut(values.base, join(scratch, 'base'));
  checkOut(null, join(scratch, 'work'));
  const base = await load(compile(join(scratch, 'base')), flowText);
  const work = await load(compile(join(scratch, 'work')), flowText);
  const commands = work.program.orders.length;
  console.log(setupLine(`engine of ${values.base} (A) against the working tree (B) on ${flowPath}: ${commands} commands, ${rounds} rounds`));
  for (let run = 0; run < WARMUP_RUNS; run++) {
    base.timeFlow(base.program);
    work.timeFlow(work.program);
  }
  const baseSeconds: number[] = [];
  const workSeconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first, so that neither always runs on a warmer (or hotter) core.
    const first = round % 2 === 0 ? base : work;
    const second = first === base ? work : base;
    const firstSeconds = first.timeFlow(first.program);
    const secondSeconds = second.timeFlow(second.program);
    baseSeconds.push(first === base ? firstSeconds : secondSeconds);
    workSeconds.push(first === base ? secondSeconds : firstSeconds);
    console.log(`round ${round + 1}: A ${(commands / (baseSeconds.at(-1) as number) / 1e6).toFixed(3)} M/s, B ${(commands / (workSeconds.at(-1) as number) / 1e6).toFixed(3)} M/s, B/A ${((baseSeconds.at(-1) as number) / (workSeconds.at(-1) as number)).toFixed(3)}`);
  }
  const roundRatios = baseSeconds.map((seconds, round) => seconds / (workSeconds[round] as number));
  console.log(JSON.stringify({
    ops: commands,
    base: values.base,
    base_ops_per_sec: Math.round(commands / median(baseSeconds)),
    work_ops_per_sec: Math.round(commands / median(workSeconds)),
    speedup: Number((median(baseSeconds) / median(workSeconds)).toFixed(3)),
    speedup_median_of_rounds: Number(median(roundRatios).toFixed(3)),
  }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
