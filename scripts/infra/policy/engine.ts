// Engine hosts: IMDSv2 only, no SSH key, no public IP, encrypted volumes with a CMK, a journal volume of io2 (prod)
// or gp3, and exactly two single-instance groups in one target group whose health is not the leader check, one
// tagged Role=leader and the other Role=standby (the server has no leader election: the tag is its VENUE_ROLE).
import type { HclValue } from '../hcl.ts';
import type { TfBlock } from '../tf-config.ts';
import {
  blocksAt,
  blocksOfType,
  equals,
  isTrue,
  references,
  requireReference,
  requireValue,
  resolveIn,
  violate,
  type PolicyContext,
} from './context.ts';

const journalDevice = '/dev/sdf';

function checkLaunchTemplate(ctx: PolicyContext, template: TfBlock): void {
  requireValue(ctx, template, 'metadata_options.http_tokens', 'imdsv2', 'IMDSv2 only', equals('required'));
  requireValue(ctx, template, 'metadata_options.http_endpoint', 'imdsv2', 'the metadata endpoint stays on for IMDSv2', equals('enabled'));
  requireValue(ctx, template, 'metadata_options.http_put_response_hop_limit', 'imdsv2', 'hop limit 1: host-network container only', equals(1));
  requireValue(ctx, template, 'monitoring.enabled', 'engine-host', 'detailed monitoring on', isTrue);
  requireReference(ctx, template, 'iam_instance_profile.arn', 'engine-host', 'aws_iam_instance_profile.', 'hosts need their role (SSM, secrets, logs)');
  if ('key_name' in template.body) violate(ctx, template, 'no-ssh', 'key_name is set; use SSM Session Manager, not SSH keys');
  for (const nic of blocksAt(template.body, 'network_interfaces')) {
    if (isTrue(nic['associate_public_ip_address'] ?? null)) violate(ctx, template, 'no-public-ip', 'network_interfaces must not associate a public IP');
  }
  const mappings = blocksAt(template.body, 'block_device_mappings');
  for (const mapping of mappings) {
    const device = String(mapping['device_name']);
    for (const ebs of blocksAt(mapping, 'ebs')) {
      if (!isTrue(ebs['encrypted'] ?? null)) violate(ctx, template, 'ebs-encryption', `${device}: encrypted must be true`);
      if (!String(ebs['kms_key_id'] ?? '').includes('aws_kms_key.')) violate(ctx, template, 'ebs-encryption', `${device}: kms_key_id must reference an aws_kms_key`);
    }
  }
  const journal = mappings.find((m) => m['device_name'] === journalDevice);
  if (!journal) {
    violate(ctx, template, 'journal-volume', `no ${journalDevice} mapping: the journal needs its own volume`);
    return;
  }
  for (const env of ctx.environments) {
    const environment = resolveIn(ctx.config, env, '${var.environment}');
    const type = resolveIn(ctx.config, env, blocksAt(journal, 'ebs')[0]?.['volume_type']);
    const allowed: HclValue[] = environment.known && environment.value === 'prod' ? ['io2'] : ['io2', 'gp3'];
    if (!type.known || !allowed.includes(type.value)) {
      violate(ctx, template, 'journal-volume', `journal volume_type in ${env.display} must be ${allowed.join(' or ')} (fsync latency)`);
    }
  }
}

function checkGroups(ctx: PolicyContext, template: TfBlock): void {
  const groups = blocksOfType(ctx.config, 'aws_autoscaling_group').filter((g) => references(g.body['launch_template'], template.address));
  if (groups.length !== 2) {
    violate(ctx, template, 'engine-groups', `expected two single-instance Auto Scaling groups (leader and hot standby), found ${groups.length}`);
  }
  const targetGroups = new Set(groups.map((g) => JSON.stringify(g.body['target_group_arns'] ?? null)));
  if (targetGroups.size > 1) violate(ctx, template, 'engine-groups', 'both engine groups must register in the same target group');
  for (const group of groups) {
    for (const size of ['min_size', 'max_size', 'desired_capacity']) {
      requireValue(ctx, group, size, 'engine-groups', 'one engine process per group', equals(1));
    }
    requireReference(ctx, group, 'target_group_arns', 'engine-groups', 'aws_lb_target_group.', 'the group registers behind the ALB');
    requireValue(ctx, group, 'health_check_type', 'engine-groups', 'the standby fails the leader check by design; ELB health would replace it forever', equals('EC2'));
    const hooks = blocksAt(group.body, 'initial_lifecycle_hook');
    if (!hooks.some((h) => h['lifecycle_transition'] === 'autoscaling:EC2_INSTANCE_TERMINATING')) {
      violate(ctx, group, 'engine-groups', 'needs an initial_lifecycle_hook on EC2_INSTANCE_TERMINATING to drain and snapshot');
    }
  }
  checkRoles(ctx, template, groups);
  if (!groups.some((g) => references(g.body['placement_group'], 'aws_placement_group'))) {
    violate(ctx, template, 'placement-group', 'the leader group must launch into the cluster placement group');
  }
  for (const pg of blocksOfType(ctx.config, 'aws_placement_group')) {
    requireValue(ctx, pg, 'strategy', 'placement-group', 'cluster strategy keeps engine hops in the tens of microseconds', equals('cluster'));
  }
}

/** The Role tag a group gives its instances (exchange-run reads it as VENUE_ROLE), or undefined. */
function roleOf(group: TfBlock): HclValue | undefined {
  return blocksAt(group.body, 'tag').find((t) => t['key'] === 'Role' && isTrue(t['propagate_at_launch'] ?? false))?.['value'];
}

function checkRoles(ctx: PolicyContext, template: TfBlock, groups: TfBlock[]): void {
  const roles = groups.map(roleOf);
  groups.forEach((group, i) => {
    if (roles[i] !== 'leader' && roles[i] !== 'standby') {
      violate(ctx, group, 'engine-roles', 'needs a Role tag (leader or standby) propagated at launch: without it the host does not start');
    }
  });
  const leaders = roles.filter((r) => r === 'leader').length;
  if (leaders !== 1) violate(ctx, template, 'engine-roles', `exactly one engine group must be tagged Role=leader (two are two venues taking orders), found ${leaders}`);
}

export function checkEnginePolicy(ctx: PolicyContext): void {
  const templates = blocksOfType(ctx.config, 'aws_launch_template');
  for (const template of templates) {
    checkLaunchTemplate(ctx, template);
    checkGroups(ctx, template);
  }
  for (const volume of blocksOfType(ctx.config, 'aws_ebs_volume')) {
    requireValue(ctx, volume, 'encrypted', 'ebs-encryption', 'volumes are encrypted', isTrue);
  }
  if (blocksOfType(ctx.config, 'aws_instance').length > 0) {
    for (const instance of blocksOfType(ctx.config, 'aws_instance')) violate(ctx, instance, 'engine-groups', 'engine hosts run in Auto Scaling groups, not as bare instances');
  }
}
