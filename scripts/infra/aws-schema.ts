// The shape of the committed AWS provider schema subset, and its loader.
import { readFileSync } from 'node:fs';

/** How a value is written: the checker compares literals against these kinds; `any` is never second-guessed. */
export type AttributeKind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'any';

export interface BlockSchema {
  attributes: Record<string, AttributeKind>;
  blocks: Record<string, BlockSchema>;
  /** Arguments and blocks the provider marks as required. */
  required: string[];
  /** Top level only: attributes the provider computes (`arn`, `dns_name`, ...), readable but not settable. */
  computed?: string[];
}

export interface AwsSchema {
  source: string;
  license: string;
  providerVersion: string;
  provider: BlockSchema;
  resource: Record<string, BlockSchema>;
  data: Record<string, BlockSchema>;
  ephemeral: Record<string, BlockSchema>;
}

export const awsSchemaPath = new URL('./aws-provider-schema.json', import.meta.url);

export function loadAwsSchema(path: URL | string = awsSchemaPath): AwsSchema {
  return JSON.parse(readFileSync(path, 'utf8')) as AwsSchema;
}
