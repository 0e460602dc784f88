// Rules on the root module itself: provider pin, default tags, encrypted locking state, documented variables, one
// tfvars per environment.
import { isHclObject } from '../hcl.ts';
import type { PolicyContext } from './context.ts';

const expectedEnvironments = ['prod', 'staging'];

export function checkTerraformPolicy(ctx: PolicyContext): void {
  const { config, out } = ctx;
  const dirFile = `${config.dir}/versions.tf`;
  const terraform = config.terraform[0];
  const fail = (rule: string, message: string, file = terraform?.file.display ?? dirFile, line = terraform?.line): void => {
    out.push({ file, ...(line === undefined ? {} : { line }), address: 'terraform', rule, message });
  };
  if (!terraform) {
    fail('provider-pin', 'no terraform block: pin required_version and the aws provider');
  } else {
    if (typeof terraform.body['required_version'] !== 'string') fail('provider-pin', 'required_version must be set');
    const providers = Array.isArray(terraform.body['required_providers']) ? terraform.body['required_providers'] : [];
    const aws = providers.map((p) => (isHclObject(p) ? p['aws'] : undefined)).find(isHclObject);
    const version = aws?.['version'];
    if (aws?.['source'] !== 'hashicorp/aws') fail('provider-pin', 'required_providers.aws.source must be hashicorp/aws');
    if (typeof version !== 'string' || !/^~>\s*6\./.test(version)) fail('provider-pin', `required_providers.aws.version must be "~> 6.x", got ${JSON.stringify(version)}`);
    const backend = terraform.body['backend'];
    const s3 = isHclObject(backend) && Array.isArray(backend['s3']) ? backend['s3'][0] : undefined;
    if (!isHclObject(s3) || s3['encrypt'] !== true || s3['use_lockfile'] !== true) {
      fail('state-backend', 'backend "s3" must set encrypt = true and use_lockfile = true');
    }
  }
  const aws = config.providers.find((p) => p.name === 'aws');
  if (!aws || !Array.isArray(aws.body['default_tags'])) {
    out.push({ file: aws?.file.display ?? dirFile, ...(aws ? { line: aws.line } : {}), address: 'provider.aws', rule: 'default-tags', message: 'provider "aws" must set default_tags' });
  }
  for (const [name, variable] of config.variables) {
    if (typeof variable.body['description'] !== 'string' || !('type' in variable.body)) {
      out.push({ file: variable.file.display, line: variable.line, address: `variable.${name}`, rule: 'variable-docs', message: 'every variable needs a description and a type' });
    }
  }
  const present = config.tfvars.map((t) => t.display.replace(/^.*\//, '').replace(/\.tfvars$/, ''));
  for (const env of expectedEnvironments) {
    if (!present.includes(env)) out.push({ file: `${config.dir}/env/${env}.tfvars`, address: '-', rule: 'env-files', message: `env/${env}.tfvars is missing` });
  }
  for (const tfvars of config.tfvars) {
    const name = tfvars.display.replace(/^.*\//, '').replace(/\.tfvars$/, '');
    if (tfvars.values['environment'] !== name) {
      out.push({ file: tfvars.display, address: 'environment', rule: 'env-files', message: `must set environment = "${name}"` });
    }
  }
}
