// Every offline check of the deployment, in one place, for the CLI and the tests alike.
import { existsSync } from 'node:fs';
import { loadAwsSchema, type AwsSchema } from './aws-schema.ts';
import { checkDockerfile } from './check-dockerfile.ts';
import { checkMonitoring } from './check-monitoring.ts';
import { checkReferences } from './check-references.ts';
import { checkSchema } from './check-schema.ts';
import { checkShellScripts } from './check-shell.ts';
import { checkTemplates } from './check-templates.ts';
import { checkPolicy } from './policy/index.ts';
import { loadTfConfig } from './tf-config.ts';
import type { Violation } from './violation.ts';

interface InfraPaths {
  terraformDir: string;
  dockerfile?: string;
  monitoringDir?: string;
}

/** Parse, schema, references, templates, shell scripts and policy over one Terraform root module. */
async function checkTerraform(dir: string, schema: AwsSchema = loadAwsSchema()): Promise<Violation[]> {
  if (!existsSync(dir)) return [{ file: dir, address: '-', rule: 'hcl-parse', message: 'directory does not exist' }];
  const config = await loadTfConfig(dir);
  if (config.files.length === 0 && config.parseErrors.length === 0) {
    return [{ file: dir, address: '-', rule: 'hcl-parse', message: 'no .tf files' }];
  }
  return [
    ...config.parseErrors,
    ...checkSchema(config, schema),
    ...(await checkReferences(config, schema)),
    ...checkTemplates(config),
    ...(existsSync(`${dir}/templates`) ? checkShellScripts(dir) : []),
    ...checkPolicy(config),
  ];
}

export async function checkInfra(paths: InfraPaths): Promise<Violation[]> {
  const findings = await checkTerraform(paths.terraformDir);
  if (paths.dockerfile) findings.push(...checkDockerfile(paths.dockerfile));
  if (paths.monitoringDir) findings.push(...checkMonitoring(paths.monitoringDir));
  return findings;
}
