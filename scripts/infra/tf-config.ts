// Loads a Terraform root module: parses every `.tf` and `env/*.tfvars` file with HashiCorp's parser and indexes the
// blocks the checks need, remembering the file and line each one came from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHclObject, parseHcl, type HclObject, type HclValue } from './hcl.ts';
import type { Violation } from './violation.ts';

export type BlockKind = 'resource' | 'data' | 'ephemeral';

export interface TfFile {
  /** The path as shown in findings: the directory as given, joined with the file's relative name. */
  display: string;
  source: string;
  json: HclObject;
}

export interface TfBlock {
  file: TfFile;
  line: number;
  kind: BlockKind;
  type: string;
  name: string;
  /** `aws_lb.public`, `data.aws_region.current`, `ephemeral.aws_x.y` */
  address: string;
  body: HclObject;
}

export interface TfNamed {
  file: TfFile;
  line: number;
  name: string;
  body: HclObject;
}

export interface TfVarsFile {
  display: string;
  values: HclObject;
}

export interface TfConfig {
  dir: string;
  files: TfFile[];
  parseErrors: Violation[];
  blocks: TfBlock[];
  variables: Map<string, TfNamed>;
  locals: Map<string, { file: TfFile; line: number; value: HclValue }>;
  outputs: TfNamed[];
  providers: TfNamed[];
  terraform: TfNamed[];
  tfvars: TfVarsFile[];
}

function lineOf(source: string, pattern: RegExp): number {
  const match = pattern.exec(source);
  return match ? source.slice(0, match.index).split('\n').length : 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstBody(value: HclValue | undefined): HclObject {
  return Array.isArray(value) && isHclObject(value[0]) ? value[0] : {};
}

function entries(value: HclValue | undefined): [string, HclValue][] {
  return isHclObject(value) ? Object.entries(value) : [];
}

function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort();
}

async function parseFile(path: string, display: string, errors: Violation[]): Promise<HclObject | undefined> {
  const source = readFileSync(path, 'utf8');
  try {
    return await parseHcl(display, source);
  } catch (error) {
    const text = String(error).replace(/^Error: /, '');
    const line = /:(\d+),\d+/.exec(text)?.[1];
    errors.push({ file: display, ...(line ? { line: Number(line) } : {}), address: '-', rule: 'hcl-parse', message: text });
    return undefined;
  }
}

function indexFile(config: TfConfig, file: TfFile): void {
  const { json, source } = file;
  for (const kind of ['resource', 'data', 'ephemeral'] as const) {
    for (const [type, byName] of entries(json[kind])) {
      for (const [name, body] of entries(byName)) {
        const line = lineOf(source, new RegExp(`^\\s*${kind}\\s+"${escape(type)}"\\s+"${escape(name)}"`, 'm'));
        const address = kind === 'resource' ? `${type}.${name}` : `${kind}.${type}.${name}`;
        config.blocks.push({ file, line, kind, type, name, address, body: firstBody(body) });
      }
    }
  }
  const named = (block: string, name: string, body: HclValue | undefined): TfNamed => ({
    file,
    name,
    body: firstBody(body),
    line: lineOf(source, new RegExp(`^\\s*${block}\\s+"${escape(name)}"`, 'm')),
  });
  for (const [name, body] of entries(json['variable'])) config.variables.set(name, named('variable', name, body));
  for (const [name, body] of entries(json['output'])) config.outputs.push(named('output', name, body));
  for (const [name, body] of entries(json['provider'])) config.providers.push(named('provider', name, body));
  for (const body of Array.isArray(json['terraform']) ? json['terraform'] : []) {
    if (isHclObject(body)) config.terraform.push({ file, name: 'terraform', body, line: lineOf(source, /^terraform\s*\{/m) });
  }
  for (const block of Array.isArray(json['locals']) ? json['locals'] : []) {
    for (const [name, value] of entries(block)) {
      config.locals.set(name, { file, value, line: lineOf(source, new RegExp(`^\\s*${escape(name)}\\s*=`, 'm')) });
    }
  }
}

/** Parses `dir/*.tf` and `dir/env/*.tfvars`; parse failures become `hcl-parse` findings, not exceptions. */
export async function loadTfConfig(dir: string): Promise<TfConfig> {
  const config: TfConfig = {
    dir,
    files: [],
    parseErrors: [],
    blocks: [],
    variables: new Map(),
    locals: new Map(),
    outputs: [],
    providers: [],
    terraform: [],
    tfvars: [],
  };
  for (const name of listFiles(dir, '.tf')) {
    const display = join(dir, name);
    const json = await parseFile(join(dir, name), display, config.parseErrors);
    if (!json) continue;
    const file = { display, source: readFileSync(join(dir, name), 'utf8'), json };
    config.files.push(file);
    indexFile(config, file);
  }
  const envDir = join(dir, 'env');
  for (const name of listFiles(envDir, '.tfvars')) {
    const display = join(envDir, name);
    const values = await parseFile(join(envDir, name), display, config.parseErrors);
    if (values) config.tfvars.push({ display, values });
  }
  return config;
}
