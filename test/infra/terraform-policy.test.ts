// Proves the manifests pass the security checklist and that breaking each rule in a copy is reported precisely.
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkPolicy } from '../../scripts/infra/policy/index.ts';
import { loadTfConfig } from '../../scripts/infra/tf-config.ts';
import { assertClean, assertReports, copyOf, terraformDir, withMutation } from './fixture.ts';

interface Mutation {
  name: string;
  file: string;
  from: string;
  to: string;
  /** Reported file (defaults to `file`), resource address and rule. */
  at?: string;
  address: string;
  rule: string;
}

const mutations: Mutation[] = [
  { name: 'aws provider 5', file: 'versions.tf', from: 'version = "~> 6.0"', to: 'version = "~> 5.0"', address: 'terraform', rule: 'provider-pin' },
  { name: 'state without locking', file: 'versions.tf', from: 'use_lockfile = true', to: 'use_lockfile = false', address: 'terraform', rule: 'state-backend' },
  { name: 'no default tags', file: 'providers.tf', from: '  default_tags {\n    tags = local.tags\n  }\n', to: '', address: 'provider.aws', rule: 'default-tags' },
  { name: 'an undocumented variable', file: 'variables.tf', from: '  description = "Name prefix for every resource."\n', to: '', address: 'variable.project', rule: 'variable-docs' },
  { name: 'tfvars for the wrong environment', file: 'env/prod.tfvars', from: 'environment = "prod"', to: 'environment = "production"', address: 'environment', rule: 'env-files' },
  { name: 'ALB open on another port', file: 'sg-rules-engine.tf', from: 'from_port         = 80\n  to_port           = 80', to: 'from_port = 8080\n  to_port = 8080', address: 'aws_vpc_security_group_ingress_rule.alb_http', rule: 'public-ingress' },
  {
    name: 'engine open to the internet',
    file: 'sg-rules-engine.tf',
    from: 'description                  = "Client traffic and health checks from the ALB"\n  referenced_security_group_id = aws_security_group.alb.id',
    to: 'description = "Client traffic"\n  cidr_ipv4 = "0.0.0.0/0"',
    address: 'aws_vpc_security_group_ingress_rule.engine_from_alb',
    rule: 'public-ingress',
  },
  { name: 'SSH port range', file: 'sg-rules-engine.tf', from: 'from_port         = 443', to: 'from_port = 22', address: 'aws_vpc_security_group_ingress_rule.alb_https', rule: 'no-ssh' },
  { name: 'open egress', file: 'sg-rules-engine.tf', from: 'prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id', to: 'cidr_ipv4 = "0.0.0.0/0"', address: 'aws_vpc_security_group_egress_rule.engine_to_s3', rule: 'open-egress' },
  { name: 'all ports', file: 'sg-rules-engine.tf', from: 'ip_protocol                  = "tcp"', to: 'ip_protocol = "-1"', address: 'aws_vpc_security_group_egress_rule.alb_to_engine', rule: 'sg-all-ports' },
  { name: 'rule without description', file: 'sg-rules-data.tf', from: '  description                  = "Valkey (TLS) from engine hosts"\n', to: '', address: 'aws_vpc_security_group_ingress_rule.cache_from_engine', rule: 'sg-rule-description' },
  {
    name: 'database open to a CIDR',
    file: 'sg-rules-data.tf',
    from: 'description                  = "PostgreSQL from engine hosts"\n  referenced_security_group_id = aws_security_group.engine.id',
    to: 'description = "PostgreSQL from the VPC"\n  cidr_ipv4 = "10.40.0.0/16"',
    address: 'aws_vpc_security_group_ingress_rule.aurora_from_engine',
    rule: 'data-store-ingress',
  },
  {
    name: 'inline security group rules',
    file: 'security-groups.tf',
    from: 'description = "ElastiCache Valkey (hot state projection)"',
    to: 'description = "ElastiCache"\n  ingress {\n    from_port   = 6379\n    to_port     = 6379\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }',
    address: 'aws_security_group.cache',
    rule: 'sg-inline-rules',
  },
  { name: 'no flow logs', file: 'network.tf', from: 'vpc_id                   = aws_vpc.main.id', to: 'subnet_id = aws_subnet.app[0].id', address: 'aws_vpc.main', rule: 'flow-logs' },
  { name: 'default security group with rules', file: 'network.tf', from: 'resource "aws_default_security_group" "main" {\n  vpc_id = aws_vpc.main.id', to: 'resource "aws_default_security_group" "main" {\n  vpc_id = aws_vpc.main.id\n  ingress {\n    self = true\n  }', address: 'aws_vpc.main', rule: 'default-sg' },
  { name: 'single-AZ data tier', file: 'network.tf', from: 'resource "aws_subnet" "data" {\n  count = 3', to: 'resource "aws_subnet" "data" {\n  count = 1', address: 'aws_subnet.data', rule: 'multi-az' },
  { name: 'database in one subnet', file: 'aurora.tf', from: 'subnet_ids = aws_subnet.data[*].id', to: 'subnet_ids = [aws_subnet.data[0].id]', address: 'aws_db_subnet_group.aurora', rule: 'multi-az' },
  { name: 'public IPs on launch', file: 'network.tf', from: 'map_public_ip_on_launch = false', to: 'map_public_ip_on_launch = true', address: 'aws_subnet.public', rule: 'no-public-ip' },
  { name: 'invalid headers forwarded', file: 'alb.tf', from: 'drop_invalid_header_fields = true', to: 'drop_invalid_header_fields = false', address: 'aws_lb.public', rule: 'alb' },
  { name: 'deletion protection off in staging', file: 'env/staging.tfvars', from: 'deletion_protection = true', to: 'deletion_protection = false', at: 'alb.tf', address: 'aws_lb.public', rule: 'deletion-protection' },
  { name: 'short idle timeout', file: 'variables-network.tf', from: 'default     = 300', to: 'default     = 60', at: 'alb.tf', address: 'aws_lb.public', rule: 'alb' },
  { name: 'TLS 1.2 policy', file: 'alb.tf', from: '"ELBSecurityPolicy-TLS13-1-3-2021-06"', to: '"ELBSecurityPolicy-2016-08"', address: 'aws_lb_listener.https', rule: 'tls' },
  { name: 'plain HTTP forwarding', file: 'alb.tf', from: 'type = "redirect"', to: 'type = "forward"', address: 'aws_lb_listener.http', rule: 'tls' },
  { name: 'health check not leader-only', file: 'alb.tf', from: 'path                = "/healthz/leader"', to: 'path = "/healthz"', address: 'aws_lb_target_group.engine', rule: 'target-group' },
  { name: 'slow deregistration', file: 'variables-network.tf', from: 'default     = 15', to: 'default     = 300', at: 'alb.tf', address: 'aws_lb_target_group.engine', rule: 'target-group' },
  { name: 'managed rule group missing', file: 'waf.tf', from: '"AWSManagedRulesKnownBadInputsRuleSet"', to: '"AWSManagedRulesLinuxRuleSet"', address: 'aws_wafv2_web_acl.public', rule: 'waf' },
  { name: 'rate limit not per IP', file: 'waf.tf', from: 'aggregate_key_type    = "IP"', to: 'aggregate_key_type = "FORWARDED_IP"', address: 'aws_wafv2_web_acl.public', rule: 'waf' },
  { name: 'WAF not attached', file: 'waf.tf', from: 'resource_arn = aws_lb.public.arn', to: 'resource_arn = aws_lb.other.arn', at: 'alb.tf', address: 'aws_lb.public', rule: 'waf' },
  { name: 'IMDSv1 allowed', file: 'engine.tf', from: 'http_tokens                 = "required"', to: 'http_tokens = "optional"', address: 'aws_launch_template.engine', rule: 'imdsv2' },
  { name: 'IMDS hop limit 2', file: 'engine.tf', from: 'http_put_response_hop_limit = 1', to: 'http_put_response_hop_limit = 2', address: 'aws_launch_template.engine', rule: 'imdsv2' },
  { name: 'no detailed monitoring', file: 'engine.tf', from: 'monitoring {\n    enabled = true\n  }', to: 'monitoring {\n    enabled = false\n  }', address: 'aws_launch_template.engine', rule: 'engine-host' },
  { name: 'SSH key', file: 'engine.tf', from: 'ebs_optimized          = true', to: 'ebs_optimized = true\n  key_name = "ops"', address: 'aws_launch_template.engine', rule: 'no-ssh' },
  { name: 'unencrypted root volume', file: 'engine.tf', from: 'encrypted             = true', to: 'encrypted = false', address: 'aws_launch_template.engine', rule: 'ebs-encryption' },
  { name: 'gp3 journal in prod', file: 'env/prod.tfvars', from: 'journal_volume_type        = "io2"', to: 'journal_volume_type = "gp3"', at: 'engine.tf', address: 'aws_launch_template.engine', rule: 'journal-volume' },
  { name: 'engine group of two', file: 'engine.tf', from: 'max_size                  = 1', to: 'max_size = 2', address: 'aws_autoscaling_group.engine_a', rule: 'engine-groups' },
  { name: 'ELB health on the engine group', file: 'engine.tf', from: 'health_check_type         = "EC2"', to: 'health_check_type = "ELB"', address: 'aws_autoscaling_group.engine_a', rule: 'engine-groups' },
  { name: 'two leaders', file: 'engine.tf', from: 'value               = "standby"', to: 'value               = "leader"', address: 'aws_launch_template.engine', rule: 'engine-roles' },
  { name: 'a group without a role', file: 'engine.tf', from: 'key                 = "Role"\n    value               = "standby"', to: 'key                 = "Rolle"\n    value               = "standby"', address: 'aws_autoscaling_group.engine_b', rule: 'engine-roles' },
  { name: 'no drain hook', file: 'engine.tf', from: '"autoscaling:EC2_INSTANCE_TERMINATING"', to: '"autoscaling:EC2_INSTANCE_LAUNCHING"', address: 'aws_autoscaling_group.engine_a', rule: 'engine-groups' },
  { name: 'spread placement', file: 'engine.tf', from: 'strategy = "cluster"', to: 'strategy = "spread"', address: 'aws_placement_group.engine', rule: 'placement-group' },
  { name: 'unencrypted Aurora', file: 'aurora.tf', from: 'storage_encrypted                   = true', to: 'storage_encrypted = false', address: 'aws_rds_cluster.projections', rule: 'encryption' },
  { name: 'Aurora without force_ssl', file: 'aurora.tf', from: '"rds.force_ssl"', to: '"rds.logical_replication"', address: 'aws_rds_cluster.projections', rule: 'encryption' },
  { name: 'short backups in staging', file: 'env/staging.tfvars', from: 'aurora_backup_retention_days = 7', to: 'aurora_backup_retention_days = 1', at: 'aurora.tf', address: 'aws_rds_cluster.projections', rule: 'backups' },
  { name: 'no final snapshot', file: 'aurora.tf', from: 'skip_final_snapshot                 = false', to: 'skip_final_snapshot = true', address: 'aws_rds_cluster.projections', rule: 'backups' },
  { name: 'unmanaged master password', file: 'aurora.tf', from: 'manage_master_user_password         = true', to: 'manage_master_user_password = false', address: 'aws_rds_cluster.projections', rule: 'credentials' },
  { name: 'single Aurora instance', file: 'env/staging.tfvars', from: 'aurora_instance_count        = 2', to: 'aurora_instance_count = 1', at: 'aurora.tf', address: 'aws_rds_cluster_instance.projections', rule: 'multi-az' },
  { name: 'cache TLS optional', file: 'cache.tf', from: 'transit_encryption_mode    = "required"', to: 'transit_encryption_mode = "preferred"', address: 'aws_elasticache_replication_group.cache', rule: 'encryption' },
  { name: 'cache in one AZ', file: 'cache.tf', from: 'multi_az_enabled           = true', to: 'multi_az_enabled = false', address: 'aws_elasticache_replication_group.cache', rule: 'multi-az' },
  { name: 'cache without auth', file: 'cache.tf', from: '  auth_token_wo              = ephemeral.aws_secretsmanager_random_password.cache_auth_token.random_password\n', to: '', address: 'aws_elasticache_replication_group.cache', rule: 'credentials' },
  { name: 'MSK plaintext clients', file: 'msk.tf', from: 'client_broker = "TLS"', to: 'client_broker = "TLS_PLAINTEXT"', address: 'aws_msk_cluster.journal', rule: 'encryption' },
  { name: 'MSK unauthenticated', file: 'msk.tf', from: 'unauthenticated = false', to: 'unauthenticated = true', address: 'aws_msk_cluster.journal', rule: 'credentials' },
  { name: 'MSK two brokers', file: 'msk.tf', from: 'number_of_broker_nodes = 3', to: 'number_of_broker_nodes = 2', address: 'aws_msk_cluster.journal', rule: 'multi-az' },
  { name: 'MSK always on', file: 'msk.tf', from: 'count = var.enable_msk ? 1 : 0\n\n  cluster_name', to: 'count = 1\n\n  cluster_name', address: 'aws_msk_cluster.journal', rule: 'msk-optional' },
  { name: 'versioning suspended', file: 's3-snapshots.tf', from: 'status = "Enabled"\n  }', to: 'status = "Suspended"\n  }', address: 'aws_s3_bucket_versioning.snapshots', rule: 's3-versioning' },
  { name: 'public access allowed', file: 's3-alb-logs.tf', from: 'restrict_public_buckets = true', to: 'restrict_public_buckets = false', address: 'aws_s3_bucket_public_access_block.alb_logs', rule: 's3-public-access' },
  { name: 'journal archive without a CMK', file: 's3-journal-archive.tf', from: 'sse_algorithm     = "aws:kms"', to: 'sse_algorithm = "AES256"', address: 'aws_s3_bucket_server_side_encryption_configuration.journal_archive', rule: 'encryption' },
  { name: 'plain HTTP to S3', file: 's3-snapshots.tf', from: 'values   = ["false"]', to: 'values   = ["true"]', address: 'aws_s3_bucket.snapshots', rule: 's3-tls-only' },
  { name: 'no noncurrent expiry', file: 's3-alb-logs.tf', from: '    noncurrent_version_expiration {\n      noncurrent_days = 7\n    }\n', to: '', address: 'aws_s3_bucket.alb_logs', rule: 's3-lifecycle' },
  { name: 'force_destroy', file: 's3-snapshots.tf', from: 'bucket = "${local.name}-snapshots-${local.account_id}-${local.region}"', to: 'bucket = "x"\n  force_destroy = true', address: 'aws_s3_bucket.snapshots', rule: 's3' },
  { name: 'no object lock', file: 's3-journal-archive.tf', from: 'object_lock_enabled = true', to: 'object_lock_enabled = false', at: 's3-journal-archive.tf', address: 'aws_s3_bucket.journal_archive', rule: 'archive-immutability' },
  { name: 'key rotation off', file: 'kms.tf', from: 'enable_key_rotation     = true', to: 'enable_key_rotation = false', address: 'aws_kms_key.ebs', rule: 'kms' },
  { name: 'short log retention', file: 'logs.tf', from: 'retention_in_days = var.log_retention_days', to: 'retention_in_days = 7', address: 'aws_cloudwatch_log_group.engine', rule: 'logging' },
  { name: 'unencrypted log group', file: 'logs.tf', from: '  kms_key_id        = aws_kms_key.logs.arn\n', to: '', address: 'aws_cloudwatch_log_group.engine', rule: 'encryption' },
  { name: 'mutable image tags', file: 'ecr.tf', from: '"IMMUTABLE"', to: '"MUTABLE"', address: 'aws_ecr_repository.engine', rule: 'ecr' },
  {
    name: 'secret value in state',
    file: 'secrets.tf',
    from: 'secret_string_wo         = ephemeral.aws_secretsmanager_random_password.admin_api_key.random_password',
    to: 'secret_string = "hunter2"',
    address: 'aws_secretsmanager_secret_version.admin_api_key',
    rule: 'credentials',
  },
  { name: 'wildcard action', file: 'engine-iam.tf', from: 'actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]', to: 'actions   = ["logs:*"]', address: 'data.aws_iam_policy_document.engine', rule: 'iam-least-privilege' },
  { name: 'engine may delete archives', file: 'engine-iam.tf', from: 'actions   = ["s3:GetObject", "s3:PutObject"]', to: 'actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]', address: 'data.aws_iam_policy_document.engine', rule: 'archive-immutability' },
  { name: 'no split-brain alarm', file: 'alarms.tf', from: 'comparison_operator = "GreaterThanThreshold"\n  threshold           = 1', to: 'comparison_operator = "GreaterThanOrEqualToThreshold"\n  threshold           = 2', at: 'alb.tf', address: 'aws_lb.public', rule: 'alarms' },
];

describe('terraform policy', () => {
  it('passes the checklist in every environment', async () => {
    assertClean(checkPolicy(await loadTfConfig(terraformDir)));
  });

  const dir = copyOf(terraformDir);
  for (const m of mutations) {
    it(`reports ${m.name} as [${m.rule}] on ${m.address}`, async () => {
      const findings = await withMutation(join(dir, m.file), m.from, m.to, async () => checkPolicy(await loadTfConfig(dir)));
      assertReports(findings, { file: m.at ?? m.file, address: m.address, rule: m.rule });
    });
  }
});
