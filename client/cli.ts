// `npm run client -- <place|cancel|book|watch> ...`: the exchange from a terminal (usage in cli-args.ts).
import { runCli } from './cli-run.ts';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stop: stop.signal,
});
