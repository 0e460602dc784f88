// Checks that every reference resolves: var.X to a declared variable, local.X to a local, data./ephemeral./resource
// addresses to declared blocks, the attribute read from a resource to one its schema has, count./each. only where the
// block has count/for_each, and every tfvars key to a declared variable.
import type { AwsSchema, BlockSchema } from './aws-schema.ts';
import { isBlockList, isHclObject, referencesIn, type HclValue } from './hcl.ts';
import type { BlockKind, TfConfig } from './tf-config.ts';
import type { Violation } from './violation.ts';

/** Names that are always in scope in a Terraform expression. */
const builtinRoots = new Set(['path', 'terraform', 'self']);

interface Scope {
  file: string;
  line: number;
  address: string;
  hasCount: boolean;
  hasForEach: boolean;
  /** Iterator names of enclosing dynamic blocks (`ingress.value`). */
  iterators: Set<string>;
}

function collectStrings(value: HclValue, scope: Scope, out: { text: string; scope: Scope }[]): void {
  if (typeof value === 'string') {
    if (value.includes('${') || value.includes('%{')) out.push({ text: value, scope });
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, scope, out);
  } else if (isHclObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'dynamic' && isHclObject(item)) {
        for (const [name, specs] of Object.entries(item)) {
          for (const spec of isBlockList(specs) ? specs : []) {
            const iterator = typeof spec['iterator'] === 'string' ? spec['iterator'] : name;
            collectStrings(spec, { ...scope, iterators: new Set([...scope.iterators, iterator]) }, out);
          }
        }
      } else {
        collectStrings(item, scope, out);
      }
    }
  }
}

/** `aws_lb.public.0.arn` -> ['aws_lb', 'public', 'arn']: instance keys (numbers, quoted strings) dropped. */
function segments(reference: string): string[] {
  return reference.split('.').filter((s) => !/^\d+$/.test(s) && !s.startsWith('"'));
}

function attributeKnown(schema: BlockSchema | undefined, attribute: string | undefined): boolean {
  if (!schema || attribute === undefined) return true;
  return attribute in schema.attributes || attribute in schema.blocks || (schema.computed ?? []).includes(attribute);
}

function resolve(config: TfConfig, schema: AwsSchema, scope: Scope, reference: string): string | undefined {
  const [root = '', second, third, fourth] = segments(reference);
  const has = (kind: BlockKind, type: string | undefined, name: string | undefined): boolean =>
    config.blocks.some((b) => b.kind === kind && b.type === type && b.name === name);
  if (builtinRoots.has(root) || scope.iterators.has(root)) return undefined;
  switch (root) {
    case 'var':
      return second && config.variables.has(second) ? undefined : `variable "${second}" is not declared`;
    case 'local':
      return second && config.locals.has(second) ? undefined : `local "${second}" is not defined`;
    case 'count':
      return scope.hasCount ? undefined : `count.${second} used in a block without count`;
    case 'each':
      return scope.hasForEach ? undefined : `each.${second} used in a block without for_each`;
    case 'data':
    case 'ephemeral': {
      if (!has(root, second, third)) return `${root}.${second}.${third} is not declared`;
      const typeSchema = schema[root][second ?? ''];
      return attributeKnown(typeSchema, fourth) ? undefined : `${second} has no attribute "${fourth}"`;
    }
    case 'module':
      return `module.${second}: registry and local modules are not used here`;
    default: {
      if (!has('resource', root, second)) return `resource ${root}.${second} is not declared`;
      return attributeKnown(schema.resource[root], third) ? undefined : `${root} has no attribute "${third}"`;
    }
  }
}

function scopesOf(config: TfConfig): { value: HclValue; scope: Scope }[] {
  const base = { hasCount: false, hasForEach: false, iterators: new Set<string>() };
  const scopes: { value: HclValue; scope: Scope }[] = [];
  for (const b of config.blocks) {
    const scope = { ...base, file: b.file.display, line: b.line, address: b.address, hasCount: 'count' in b.body, hasForEach: 'for_each' in b.body };
    scopes.push({ value: b.body, scope });
  }
  // A variable's `type` is a type constraint (`${string}` in hcl2json's output), not an expression.
  for (const [name, v] of config.variables) {
    const { type: _type, ...body } = v.body;
    scopes.push({ value: body, scope: { ...base, file: v.file.display, line: v.line, address: `variable.${name}` } });
  }
  for (const [name, l] of config.locals) scopes.push({ value: l.value, scope: { ...base, file: l.file.display, line: l.line, address: `local.${name}` } });
  for (const o of config.outputs) scopes.push({ value: o.body, scope: { ...base, file: o.file.display, line: o.line, address: `output.${o.name}` } });
  for (const p of config.providers) scopes.push({ value: p.body, scope: { ...base, file: p.file.display, line: p.line, address: `provider.${p.name}` } });
  return scopes;
}

export async function checkReferences(config: TfConfig, schema: AwsSchema): Promise<Violation[]> {
  const out: Violation[] = [];
  const strings: { text: string; scope: Scope }[] = [];
  for (const { value, scope } of scopesOf(config)) collectStrings(value, scope, strings);
  for (const { text, scope } of strings) {
    const references = await referencesIn(scope.file, text);
    for (const reference of references) {
      const problem = resolve(config, schema, scope, reference.value);
      if (problem) out.push({ file: scope.file, line: scope.line, address: scope.address, rule: 'reference', message: problem });
    }
  }
  for (const tfvars of config.tfvars) {
    for (const key of Object.keys(tfvars.values)) {
      if (!config.variables.has(key)) {
        out.push({ file: tfvars.display, address: key, rule: 'reference', message: `tfvars sets "${key}", which is not a declared variable` });
      }
    }
  }
  return out;
}
