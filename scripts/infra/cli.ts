// The check:infra command line as a function, so tests can run it in-process and read its exit code and output.
import { checkInfra } from './run-checks.ts';
import { formatViolation } from './violation.ts';

export interface CliOutput {
  finding(line: string): void;
  summary(line: string): void;
}

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const [, value] = args.splice(index, 2);
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

/** Runs every check; returns the process exit code (0 clean, 1 on any finding). */
export async function runCheckInfraCli(argv: string[], output: CliOutput): Promise<number> {
  const args = [...argv];
  const dockerfile = option(args, '--dockerfile', 'Dockerfile');
  const monitoringDir = option(args, '--monitoring', 'monitoring');
  const terraformDir = args[0] ?? 'infra-terraform';
  const started = performance.now();
  const findings = await checkInfra({ terraformDir, dockerfile, monitoringDir });
  for (const finding of findings) output.finding(formatViolation(finding));
  const elapsedMs = Math.round(performance.now() - started);
  output.summary(`check-infra: ${terraformDir}, ${dockerfile}, ${monitoringDir}: ${findings.length} finding(s) in ${elapsedMs} ms`);
  return findings.length === 0 ? 0 : 1;
}
