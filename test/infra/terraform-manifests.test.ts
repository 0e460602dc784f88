// Proves every .tf parses, matches the AWS provider schema and resolves its references; broken copies are reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAwsSchema } from '../../scripts/infra/aws-schema.ts';
import { checkReferences } from '../../scripts/infra/check-references.ts';
import { checkSchema } from '../../scripts/infra/check-schema.ts';
import { loadTfConfig } from '../../scripts/infra/tf-config.ts';
import { assertClean, assertReports, copyOf, edit, terraformDir, withMutation, type Expected } from './fixture.ts';

const schema = loadAwsSchema();

async function schemaFindings(dir: string) {
  const config = await loadTfConfig(dir);
  return [...config.parseErrors, ...checkSchema(config, schema)];
}

async function referenceFindings(dir: string) {
  return checkReferences(await loadTfConfig(dir), schema);
}

interface Mutation {
  name: string;
  file: string;
  from: string;
  to: string;
  expected: Expected;
}

describe('terraform parse and schema', () => {
  it('parses every manifest and tfvars file and finds nothing', async () => {
    const config = await loadTfConfig(terraformDir);
    assert.ok(config.files.length >= 20, 'expected the whole root module');
    assert.equal(config.tfvars.length, 2);
    assertClean([...config.parseErrors, ...checkSchema(config, schema)]);
  });

  it('pins the schema to an AWS provider 6.x release', () => {
    assert.match(schema.providerVersion, /^6\.\d+\.\d+$/);
    assert.match(schema.license, /MPL-2\.0/);
  });

  it('reports a syntax error with file and line', async () => {
    const dir = copyOf(terraformDir);
    edit(join(dir, 'alb.tf'), 'idle_timeout               = var.alb_idle_timeout_seconds', 'idle_timeout = ');
    const findings = await schemaFindings(dir);
    assertReports(findings, { file: 'alb.tf', address: '-', rule: 'hcl-parse' });
    assert.ok(findings.some((f) => f.line !== undefined && f.line > 1));
  });

  const dir = copyOf(terraformDir);
  const mutations: Mutation[] = [
    {
      name: 'unknown resource type',
      file: 'engine.tf',
      from: 'resource "aws_placement_group" "engine"',
      to: 'resource "aws_placement_groups" "engine"',
      expected: { file: 'engine.tf', address: 'aws_placement_groups.engine', rule: 'schema-unknown-type' },
    },
    {
      name: 'unknown argument',
      file: 'aurora.tf',
      from: 'storage_encrypted                   = true',
      to: 'storage_encrypt = true',
      expected: { file: 'aurora.tf', address: 'aws_rds_cluster.projections', rule: 'schema-unknown-argument' },
    },
    {
      name: 'unknown nested argument',
      file: 'engine.tf',
      from: 'http_tokens                 = "required"',
      to: 'http_tokenz = "required"',
      expected: { file: 'engine.tf', address: 'aws_launch_template.engine', rule: 'schema-unknown-argument' },
    },
    {
      name: 'block written as an argument',
      file: 'alb.tf',
      from: 'stickiness {\n    type    = "lb_cookie"\n    enabled = false\n  }',
      to: 'stickiness = { type = "lb_cookie" }',
      expected: { file: 'alb.tf', address: 'aws_lb_target_group.engine', rule: 'schema-form' },
    },
    {
      name: 'literal of the wrong kind',
      file: 'alb.tf',
      from: 'interval            = 5',
      to: 'interval = "often"',
      expected: { file: 'alb.tf', address: 'aws_lb_target_group.engine', rule: 'schema-type' },
    },
    {
      name: 'missing required argument',
      file: 'alb.tf',
      from: '  load_balancer_arn = aws_lb.public.arn\n  port              = 80',
      to: '  port              = 80',
      expected: { file: 'alb.tf', address: 'aws_lb_listener.http', rule: 'schema-required' },
    },
    {
      name: 'another provider',
      file: 'data.tf',
      from: 'data "aws_partition" "current" {}',
      to: 'resource "random_password" "p" {}',
      expected: { file: 'data.tf', address: 'random_password.p', rule: 'schema-provider' },
    },
  ];
  for (const m of mutations) {
    it(`reports ${m.name}`, async () => {
      assertReports(await withMutation(join(dir, m.file), m.from, m.to, () => schemaFindings(dir)), m.expected);
    });
  }
});


describe('terraform references', () => {
  it('resolves every reference in the manifests', async () => {
    assertClean(await referenceFindings(terraformDir));
  });

  const dir = copyOf(terraformDir);
  const mutations: Mutation[] = [
    {
      name: 'an undeclared variable',
      file: 'alb.tf',
      from: 'idle_timeout               = var.alb_idle_timeout_seconds',
      to: 'idle_timeout = var.alb_idle_timeout',
      expected: { file: 'alb.tf', address: 'aws_lb.public', rule: 'reference' },
    },
    {
      name: 'an undefined local',
      file: 'network.tf',
      from: 'availability_zone       = local.azs[count.index]',
      to: 'availability_zone = local.zones[count.index]',
      expected: { file: 'network.tf', address: 'aws_subnet.public', rule: 'reference' },
    },
    {
      name: 'a resource that does not exist',
      file: 'aurora.tf',
      from: 'kms_key_id                          = aws_kms_key.rds.arn',
      to: 'kms_key_id = aws_kms_key.database.arn',
      expected: { file: 'aurora.tf', address: 'aws_rds_cluster.projections', rule: 'reference' },
    },
    {
      name: 'an attribute the resource does not have',
      file: 'acm.tf',
      from: 'name                   = aws_lb.public.dns_name',
      to: 'name = aws_lb.public.dns',
      expected: { file: 'acm.tf', address: 'aws_route53_record.public', rule: 'reference' },
    },
    {
      name: 'a data source that is not declared',
      file: 'locals.tf',
      from: 'account_id = data.aws_caller_identity.current.account_id',
      to: 'account_id = data.aws_caller_identity.me.account_id',
      expected: { file: 'locals.tf', address: 'local.account_id', rule: 'reference' },
    },
    {
      name: 'count.index in a block without count',
      file: 'alb.tf',
      from: 'name                 = "${local.name}-engine"',
      to: 'name = "${local.name}-engine-${count.index}"',
      expected: { file: 'alb.tf', address: 'aws_lb_target_group.engine', rule: 'reference' },
    },
    {
      name: 'a tfvars key that is not a variable',
      file: 'env/prod.tfvars',
      from: 'enable_msk = true',
      to: 'enable_kafka = true',
      expected: { file: 'env/prod.tfvars', address: 'enable_kafka', rule: 'reference' },
    },
  ];
  for (const m of mutations) {
    it(`reports ${m.name}`, async () => {
      assertReports(await withMutation(join(dir, m.file), m.from, m.to, () => referenceFindings(dir)), m.expected);
    });
  }
});
