// Checks every resource, data source, ephemeral resource and provider block against the AWS provider schema: the
// type exists, every argument and nested block exists and is written in the right form (`x = ...` vs `x { }`),
// literals fit the argument's kind, and required arguments are present.
import type { AttributeKind, AwsSchema, BlockSchema } from './aws-schema.ts';
import { isBlockList, isHclObject, type HclObject, type HclValue } from './hcl.ts';
import type { TfConfig } from './tf-config.ts';
import type { Violation } from './violation.ts';

const metaArguments = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const providerMetaArguments = new Set(['alias']);

function isExpression(value: HclValue): boolean {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

/** Why a literal cannot be converted to the argument's kind, or undefined when it can (or is an expression). */
function literalMismatch(kind: AttributeKind, value: HclValue): string | undefined {
  if (kind === 'any' || value === null || isExpression(value)) return undefined;
  const scalar = typeof value !== 'object';
  switch (kind) {
    case 'string':
      return scalar ? undefined : 'expects a string';
    case 'number':
      if (typeof value === 'number') return undefined;
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : 'expects a number';
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      return value === 'true' || value === 'false' ? undefined : 'expects a bool';
    case 'list':
      return Array.isArray(value) ? undefined : 'expects a list';
    case 'map':
      return isHclObject(value) ? undefined : 'expects a map';
  }
}

interface Walk {
  file: string;
  line: number;
  address: string;
  out: Violation[];
}

function report(walk: Walk, path: string, rule: string, message: string): void {
  walk.out.push({ file: walk.file, line: walk.line, address: walk.address, rule, message: `${path}: ${message}` });
}

function checkDynamic(walk: Walk, path: string, value: HclValue, schema: BlockSchema): void {
  if (!isHclObject(value)) return;
  for (const [name, specs] of Object.entries(value)) {
    const nested = schema.blocks[name];
    if (!nested) {
      report(walk, `${path}dynamic "${name}"`, 'schema-unknown-block', `"${name}" is not a block of this type`);
      continue;
    }
    for (const spec of isBlockList(specs) ? specs : []) {
      const content = spec['content'];
      for (const body of isBlockList(content) ? content : []) checkBody(walk, `${path}${name}.`, body, nested, false);
    }
  }
}

function checkBody(walk: Walk, path: string, body: HclObject, schema: BlockSchema, topLevel: boolean): void {
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && metaArguments.has(key)) continue;
    if (key === 'dynamic') {
      checkDynamic(walk, path, value, schema);
      continue;
    }
    const kind = schema.attributes[key];
    const nested = schema.blocks[key];
    if (kind !== undefined) {
      if (isBlockList(value) && kind !== 'any' && kind !== 'list') {
        report(walk, `${path}${key}`, 'schema-form', `"${key}" is an argument; write ${key} = ...`);
        continue;
      }
      const mismatch = literalMismatch(kind, value);
      if (mismatch) report(walk, `${path}${key}`, 'schema-type', `${mismatch}, got ${JSON.stringify(value)}`);
    } else if (nested) {
      if (!isBlockList(value)) {
        report(walk, `${path}${key}`, 'schema-form', `"${key}" is a block; write ${key} { ... }`);
        continue;
      }
      value.forEach((item) => checkBody(walk, `${path}${key}.`, item, nested, false));
    } else {
      report(walk, `${path}${key}`, 'schema-unknown-argument', `"${key}" is not an argument or block of this type`);
    }
  }
  const dynamicNames = isHclObject(body['dynamic']) ? Object.keys(body['dynamic']) : [];
  for (const name of schema.required) {
    if (!(name in body) && !dynamicNames.includes(name)) {
      report(walk, `${path}${name}`, 'schema-required', `required argument "${name}" is missing`);
    }
  }
}

export function checkSchema(config: TfConfig, schema: AwsSchema): Violation[] {
  const out: Violation[] = [];
  for (const block of config.blocks) {
    const walk = { file: block.file.display, line: block.line, address: block.address, out };
    if (!block.type.startsWith('aws_')) {
      report(walk, block.type, 'schema-provider', 'only hashicorp/aws types are allowed (plain aws_* resources, no other providers)');
      continue;
    }
    const typeSchema = schema[block.kind][block.type];
    if (!typeSchema) {
      out.push({
        ...walk,
        rule: 'schema-unknown-type',
        message: `${block.type} is not an AWS provider ${schema.providerVersion} ${block.kind} type in the schema (a new real type needs scripts/infra/gen-aws-schema.ts)`,
      });
      continue;
    }
    checkBody(walk, '', block.body, typeSchema, true);
  }
  for (const provider of config.providers) {
    const walk = { file: provider.file.display, line: provider.line, address: `provider.${provider.name}`, out };
    if (provider.name !== 'aws') {
      report(walk, provider.name, 'schema-provider', 'only the aws provider is configured');
      continue;
    }
    const body = Object.fromEntries(Object.entries(provider.body).filter(([k]) => !providerMetaArguments.has(k)));
    checkBody(walk, '', body, schema.provider, false);
  }
  return out;
}
