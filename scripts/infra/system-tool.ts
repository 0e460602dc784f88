// Runs a Debian tool that scripts/ensure-system-tools.sh installs (promtool, shellcheck). Without it the check is
// skipped loudly, unless REQUIRE_SERVICES=1 (CI), where a missing tool is a finding.
import { spawnSync } from 'node:child_process';
import type { Violation } from './violation.ts';

export interface ToolRun {
  status: number;
  output: string;
}

export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Runs the tool, or returns the finding (CI) / undefined after a warning (elsewhere) when it is not installed. */
export function runTool(command: string, args: string[], file: string): ToolRun | Violation | undefined {
  if (!hasTool(command)) {
    const message = `${command} is not installed (scripts/ensure-system-tools.sh installs it)`;
    if (process.env['REQUIRE_SERVICES'] === '1') return { file, address: '-', rule: 'system-tool', message };
    console.warn(`check-infra: SKIPPED ${command} checks: ${message}`);
    return undefined;
  }
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}`.trim() };
}

export function isToolRun(value: ToolRun | Violation | undefined): value is ToolRun {
  return value !== undefined && 'status' in value;
}
