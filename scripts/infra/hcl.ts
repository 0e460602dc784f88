// Typed door to @cdktn/hcl2json (HashiCorp's HCL parser compiled to WASM). Loaded through createRequire so its
// declaration file, which pulls the DOM lib into the whole program, never reaches the type checker.
import { createRequire } from 'node:module';

export type HclValue = string | number | boolean | null | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

export interface HclReference {
  value: string;
  startPosition: number;
  endPosition: number;
}

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<HclObject>;
  getReferencesInExpression(filename: string, expression: string): Promise<HclReference[]>;
}

const hcl2json = createRequire(import.meta.url)('@cdktn/hcl2json') as Hcl2Json;

// Both calls are pure functions of their text, so results are memoized: checking a mutated copy of the manifests
// re-parses only the file that changed. Results are shared; callers never modify them.
const parsed = new Map<string, HclObject>();
const referenced = new Map<string, HclReference[]>();

/** Parses one file of HCL (a `.tf` or `.tfvars`) into hcl2json's JSON shape; throws with file:line:col on error. */
export async function parseHcl(fileName: string, source: string): Promise<HclObject> {
  const known = parsed.get(source);
  if (known) return known;
  const result = await hcl2json.parse(fileName, source);
  parsed.set(source, result);
  return result;
}

/** The traversals (`var.x`, `aws_lb.main.arn`, ...) in one `${...}` string, as HashiCorp's parser sees them. */
export async function referencesIn(fileName: string, expression: string): Promise<HclReference[]> {
  const known = referenced.get(expression);
  if (known) return known;
  const result = await hcl2json.getReferencesInExpression(fileName, expression);
  referenced.set(expression, result);
  return result;
}

export function isHclObject(value: HclValue | undefined): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A block in hcl2json output is an array of objects; an attribute holding a map is a bare object. */
export function isBlockList(value: HclValue | undefined): value is HclObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isHclObject);
}
