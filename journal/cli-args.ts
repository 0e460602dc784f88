// Argument handling shared by the journal CLI's subcommands: any mistake is a UsageError, which
// the CLI answers with the usage text and exit code 2 (other failures exit 1).

import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | undefined>>;
}

/** Parses `args` allowing exactly `positionalCount` positionals and the named string options. */
export function parseCommandArgs(args: readonly string[], positionalCount: number, optionNames: readonly string[]): ParsedArgs {
  let parsed: { positionals: string[]; values: Record<string, unknown> };
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(optionNames.map((name) => [name, { type: 'string' as const }])),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== positionalCount) {
    throw new UsageError(`expected ${positionalCount} arguments, got ${parsed.positionals.length}`);
  }
  const options: Record<string, string | undefined> = {};
  for (const name of optionNames) {
    const value = parsed.values[name];
    options[name] = typeof value === 'string' ? value : undefined;
  }
  return { positionals: parsed.positionals, options };
}

/** The option as an integer >= `min`; undefined when absent. */
export function integerOption(options: ParsedArgs['options'], name: string, min: number): number | undefined {
  const text = options[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} needs an integer >= ${min}, got ${JSON.stringify(text)}`);
  return value;
}

export function requiredOption(options: ParsedArgs['options'], name: string): string {
  const value = options[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
