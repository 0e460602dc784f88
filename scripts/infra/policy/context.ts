// What a policy rule works with: the loaded configuration, a resolver that turns `${var.x}` and `${local.x}` into
// the value each environment's tfvars (or the variable's default) gives it, and a way to report.
import { isBlockList, isHclObject, type HclObject, type HclValue } from '../hcl.ts';
import type { TfBlock, TfConfig, TfVarsFile } from '../tf-config.ts';
import type { Violation } from '../violation.ts';

export type Resolved = { known: true; value: HclValue } | { known: false; expression: string };

export interface PolicyContext {
  config: TfConfig;
  environments: TfVarsFile[];
  out: Violation[];
}

const wholeVariable = /^\$\{var\.(\w+)\}$/;
const wholeLocal = /^\$\{local\.(\w+)\}$/;
const wholeToset = /^\$\{toset\(var\.(\w+)\)\}$/;

/** The value of an argument in one environment; anything but a plain var/local/toset(var) reference is unknown. */
export function resolveIn(config: TfConfig, env: TfVarsFile | undefined, value: HclValue | undefined, depth = 0): Resolved {
  if (value === undefined) return { known: true, value: null };
  if (typeof value !== 'string' || depth > 8) return { known: true, value };
  const variable = wholeVariable.exec(value)?.[1] ?? wholeToset.exec(value)?.[1];
  if (variable !== undefined) {
    const declared = config.variables.get(variable);
    if (!declared) return { known: false, expression: value };
    if (env && variable in env.values) return { known: true, value: env.values[variable] ?? null };
    if ('default' in declared.body) return { known: true, value: declared.body['default'] ?? null };
    return { known: false, expression: value };
  }
  const local = wholeLocal.exec(value)?.[1];
  if (local !== undefined) {
    const defined = config.locals.get(local);
    return defined ? resolveIn(config, env, defined.value, depth + 1) : { known: false, expression: value };
  }
  if (value.includes('${') || value.includes('%{')) return { known: false, expression: value };
  return { known: true, value };
}

/** Nested blocks by path: `metadata_options.http_tokens` visits every metadata_options block. */
export function valuesAt(body: HclObject, path: string): HclValue[] {
  const [head = '', ...rest] = path.split('.');
  const value = body[head];
  if (rest.length === 0) return value === undefined ? [] : [value];
  const children = isBlockList(value) ? value : isHclObject(value) ? [value] : [];
  return children.flatMap((child) => valuesAt(child, rest.join('.')));
}

export function blocksAt(body: HclObject, path: string): HclObject[] {
  return valuesAt(body, path).flatMap((v) => (isBlockList(v) ? v : []));
}

export function blocksOfType(config: TfConfig, type: string, kind: TfBlock['kind'] = 'resource'): TfBlock[] {
  return config.blocks.filter((b) => b.kind === kind && b.type === type);
}

export function violate(ctx: PolicyContext, block: TfBlock, rule: string, message: string): void {
  ctx.out.push({ file: block.file.display, line: block.line, address: block.address, rule, message });
}

/** Does the expression reference this resource (`${aws_s3_bucket.logs.id}` references aws_s3_bucket.logs)? */
export function references(value: HclValue | undefined, address: string): boolean {
  return JSON.stringify(value ?? null).includes(`${address}.`) || JSON.stringify(value ?? null).includes(`${address}[`);
}

/**
 * Requires an argument to satisfy `ok` in every environment. Values must be literals or resolve through
 * variables/locals; an argument that cannot be resolved fails, because an unprovable guarantee is no guarantee.
 */
export function requireValue(
  ctx: PolicyContext,
  block: TfBlock,
  path: string,
  rule: string,
  description: string,
  ok: (value: HclValue) => boolean,
): void {
  const values = valuesAt(block.body, path);
  if (values.length === 0) {
    violate(ctx, block, rule, `${path} must be set: ${description}`);
    return;
  }
  const environments = ctx.environments.length > 0 ? ctx.environments : [undefined];
  const failures = new Set<string>();
  for (const value of values) {
    const literal = typeof value !== 'string' || !(value.includes('${') || value.includes('%{'));
    for (const env of literal ? [undefined] : environments) {
      const resolved = resolveIn(ctx.config, env, value);
      const where = env ? ` in ${env.display}` : '';
      if (!resolved.known) failures.add(`${path} = ${resolved.expression} cannot be resolved to a value${where}; use a literal or a variable`);
      else if (!ok(resolved.value)) failures.add(`${path} = ${JSON.stringify(resolved.value)}${where}: ${description}`);
    }
  }
  for (const message of failures) violate(ctx, block, rule, message);
}

export const isTrue = (v: HclValue): boolean => v === true || v === 'true';
export const isFalse = (v: HclValue): boolean => v === false || v === 'false';
export const atLeast = (n: number) => (v: HclValue): boolean => Number(v) >= n;
export const atMost = (n: number) => (v: HclValue): boolean => v !== null && Number(v) <= n;
export const equals = (expected: HclValue) => (v: HclValue): boolean => v === expected || String(v) === String(expected);

/** Requires an argument that points at another resource (a key, a log group): present, and naming `target`. */
export function requireReference(ctx: PolicyContext, block: TfBlock, path: string, rule: string, target: string, description: string): void {
  const values = valuesAt(block.body, path);
  if (values.length === 0 || values.some((v) => !JSON.stringify(v).includes(target))) {
    violate(ctx, block, rule, `${path} must reference ${target}: ${description}`);
  }
}
