// Reads AWS provider argument schemas out of an unpacked @cdktn/provider-aws package without executing it: the
// generated `synthesizeHclAttributes()` / `*ToHclTerraform()` tables give every argument's HCL name, whether it is a
// block and its storage type; the package's .jsii type system says which arguments are optional.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeKind, BlockSchema } from './aws-schema.ts';

export type SchemaKind = 'resource' | 'data' | 'ephemeral' | 'provider';

interface JsiiProperty {
  name: string;
  optional?: boolean;
}
interface JsiiType {
  properties?: JsiiProperty[];
}
export interface JsiiAssembly {
  types: Record<string, JsiiType>;
}

interface AttrEntry {
  hclName: string;
  camelName: string;
  isBlock: boolean;
  storageClassType: string;
  nestedFunction: string | undefined;
}

const entryPattern =
  /^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;
const structFunctionPattern = /^function (\w+)ToHclTerraform\(struct\) \{\n([\s\S]*?)\n\}$/gm;
const topLevelPattern = /^ {4}synthesizeHclAttributes\(\) \{\n([\s\S]*?)\n {4}\}$/m;
const primitiveKinds: Record<string, AttributeKind> = { string: 'string', number: 'number', boolean: 'boolean', any: 'any' };

/** `aws_lb_listener` -> `lb-listener`, `data-aws-lb-listener`, `ephemeral-aws-...`: the package's folder names. */
export function packageFolderFor(kind: SchemaKind, type: string): string {
  if (kind === 'provider') return 'provider';
  const base = type.replace(/^aws_/, '').replaceAll('_', '-');
  return kind === 'resource' ? base : `${kind}-aws-${base}`;
}

function camelCase(folder: string): string {
  return folder.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}

function readFolderSources(folder: string): string {
  const parts = [readFileSync(join(folder, 'index.js'), 'utf8')];
  const structs = join(folder, 'index-structs');
  if (existsSync(structs)) {
    for (const name of readdirSync(structs).sort()) parts.push(readFileSync(join(structs, name), 'utf8'));
  }
  return parts.join('\n');
}

function parseEntries(body: string): AttrEntry[] {
  const entries: AttrEntry[] = [];
  for (const m of body.matchAll(entryPattern)) {
    const [, hclName = '', value = '', isBlock, , storageClassType = ''] = m;
    const camelName = /(?:this\._|struct\.|struct\[")(\w+)/.exec(value)?.[1] ?? '';
    const nested = [...value.matchAll(/([\w.]+)ToHclTerraform/g)]
      .map((n) => n[1] ?? '')
      .filter((n) => !n.startsWith('cdktn.'))
      .map((n) => n.slice(n.lastIndexOf('.') + 1));
    entries.push({ hclName, camelName, isBlock: isBlock === 'true', storageClassType, nestedFunction: nested[0] });
  }
  return entries;
}

function attributeKind(entry: AttrEntry): AttributeKind {
  const primitive = primitiveKinds[entry.storageClassType];
  if (primitive) return primitive;
  if (/^(string|number|boolean)List$/.test(entry.storageClassType)) return 'list';
  if (/^(string|number|boolean)Map$/.test(entry.storageClassType)) return 'map';
  return 'any';
}

interface FolderTables {
  topLevel: AttrEntry[];
  /** Every attribute name the generated resource class exposes for reading. */
  readable: Set<string>;
  structs: Map<string, AttrEntry[]>;
  className: string;
  terraformType: string;
}

function readTables(folder: string): FolderTables {
  const source = readFolderSources(folder);
  const top = topLevelPattern.exec(source);
  const className = /^class (\w+) extends cdktn\.Terraform(?:Resource|DataSource|EphemeralResource|Provider) \{/m.exec(source)?.[1];
  const terraformType = /terraformResourceType: '([\w]+)'/.exec(source)?.[1];
  if (!top?.[1] || !className || !terraformType) throw new Error(`${folder}: no generated resource class found`);
  const structs = new Map<string, AttrEntry[]>();
  for (const m of source.matchAll(structFunctionPattern)) structs.set(m[1] ?? '', parseEntries(m[2] ?? ''));
  const mainClass = source.slice(source.indexOf(`class ${className} extends`));
  const readable = new Set([...mainClass.matchAll(/(?:Attribute|interpolationForAttribute)\('(\w+)'\)|\(this, "(\w+)"/g)].map((m) => m[1] ?? m[2] ?? ''));
  return { topLevel: parseEntries(top[1]), readable, structs, className, terraformType };
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function buildBlock(
  entries: AttrEntry[],
  jsiiName: string,
  tables: FolderTables,
  jsii: JsiiAssembly,
  namespace: string,
  depth: number,
): BlockSchema {
  if (depth > 32) throw new Error(`${jsiiName}: nesting deeper than 32 levels`);
  const optionalByCamel = new Map((jsii.types[`@cdktn/provider-aws.${namespace}.${jsiiName}`]?.properties ?? []).map((p) => [p.name, p.optional === true]));
  const block: BlockSchema = { attributes: {}, blocks: {}, required: [] };
  for (const entry of entries) {
    if (optionalByCamel.get(entry.camelName) === false) block.required.push(entry.hclName);
    if (entry.isBlock && entry.nestedFunction) {
      const nested = tables.structs.get(entry.nestedFunction) ?? [];
      block.blocks[entry.hclName] = buildBlock(nested, upperFirst(entry.nestedFunction), tables, jsii, namespace, depth + 1);
    } else {
      block.attributes[entry.hclName] = attributeKind(entry);
    }
  }
  return block;
}

/** The schema of one resource, data source, ephemeral resource or the provider block, read from `lib/`. */
export function readBlockSchema(libDir: string, kind: SchemaKind, type: string, jsii: JsiiAssembly): BlockSchema {
  const folder = packageFolderFor(kind, type);
  const tables = readTables(join(libDir, folder));
  const expectedType = kind === 'provider' ? 'aws' : type;
  if (tables.terraformType !== expectedType) throw new Error(`${folder} holds ${tables.terraformType}, not ${expectedType}`);
  const block = buildBlock(tables.topLevel, `${tables.className}Config`, tables, jsii, camelCase(folder), 0);
  const computed = [...tables.readable].filter((n) => !(n in block.attributes) && !(n in block.blocks)).sort();
  return kind === 'provider' ? block : { ...block, computed };
}

export function readProviderVersion(libDir: string): string {
  const source = readFileSync(join(libDir, 'provider', 'index.js'), 'utf8');
  const version = /providerVersion: '([\d.]+)'/.exec(source)?.[1];
  if (!version) throw new Error('no providerVersion in lib/provider/index.js');
  return version;
}
