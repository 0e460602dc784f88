// Network rules: only the ALB is reachable from outside and only on 443/80; no SSH; no open egress; data stores
// accept only security-group references; flow logs on; every subnet tier spans three AZs.
import type { HclValue } from '../hcl.ts';
import type { TfBlock, TfVarsFile } from '../tf-config.ts';
import { blocksOfType, references, resolveIn, valuesAt, violate, type PolicyContext } from './context.ts';

const openCidrs = new Set(['0.0.0.0/0', '::/0']);
const publicPorts = new Set([80, 443]);

function securityGroupsOf(ctx: PolicyContext, type: string, path: string): string[] {
  const groups = blocksOfType(ctx.config, 'aws_security_group').map((g) => g.address);
  const used = blocksOfType(ctx.config, type).flatMap((b) => valuesAt(b.body, path));
  return groups.filter((g) => used.some((v) => references(v, g)));
}

/** The CIDRs a rule allows in one environment; `undefined` entries could not be resolved. */
function cidrsOf(ctx: PolicyContext, rule: TfBlock, env: TfVarsFile | undefined): (string | undefined)[] {
  const cidrs: (string | undefined)[] = [];
  for (const key of ['cidr_ipv4', 'cidr_ipv6']) {
    const raw = rule.body[key];
    if (raw === undefined) continue;
    const resolved = raw === '${each.value}' ? resolveIn(ctx.config, env, rule.body['for_each']) : resolveIn(ctx.config, env, raw);
    const values: HclValue[] = !resolved.known ? [null] : Array.isArray(resolved.value) ? resolved.value : [resolved.value];
    for (const v of values) cidrs.push(typeof v === 'string' ? v : undefined);
  }
  return cidrs;
}

function portsOf(rule: TfBlock): { from: number; to: number; all: boolean } {
  const all = rule.body['ip_protocol'] === '-1' || rule.body['ip_protocol'] === 'all';
  const from = typeof rule.body['from_port'] === 'number' ? rule.body['from_port'] : NaN;
  const to = typeof rule.body['to_port'] === 'number' ? rule.body['to_port'] : NaN;
  return { from, to, all };
}

function checkRules(ctx: PolicyContext): void {
  const albGroups = securityGroupsOf(ctx, 'aws_lb', 'security_groups');
  const dataGroups = [
    ...securityGroupsOf(ctx, 'aws_rds_cluster', 'vpc_security_group_ids'),
    ...securityGroupsOf(ctx, 'aws_elasticache_replication_group', 'security_group_ids'),
    ...securityGroupsOf(ctx, 'aws_msk_cluster', 'broker_node_group_info.security_groups'),
  ];
  const environments = ctx.environments.length > 0 ? ctx.environments : [undefined];
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of blocksOfType(ctx.config, `aws_vpc_security_group_${direction}_rule`)) {
      const description = rule.body['description'];
      if (typeof description !== 'string' || description.trim() === '') violate(ctx, rule, 'sg-rule-description', 'every rule needs a description');
      const ports = portsOf(rule);
      if (ports.all) violate(ctx, rule, 'sg-all-ports', 'ip_protocol "-1" opens every port; name the protocol and ports');
      const open = environments.some((env) => cidrsOf(ctx, rule, env).some((c) => c === undefined || openCidrs.has(c)));
      if (direction === 'egress') {
        if (open) violate(ctx, rule, 'open-egress', 'egress to 0.0.0.0/0 or ::/0 (or an unresolvable CIDR); the VPC reaches AWS through endpoints');
        continue;
      }
      if (!ports.all && ports.from <= 22 && ports.to >= 22) violate(ctx, rule, 'no-ssh', 'port 22 is open; hosts are reached through SSM Session Manager');
      const onAlb = albGroups.some((g) => references(rule.body['security_group_id'], g));
      if (open && !(onAlb && ports.from === ports.to && publicPorts.has(ports.from))) {
        violate(ctx, rule, 'public-ingress', 'ingress from 0.0.0.0/0 or ::/0 (or an unresolvable CIDR) is allowed only on the ALB security group, ports 443 and 80');
      }
      const onDataStore = dataGroups.some((g) => references(rule.body['security_group_id'], g));
      if (onDataStore && (rule.body['referenced_security_group_id'] === undefined || 'cidr_ipv4' in rule.body || 'cidr_ipv6' in rule.body)) {
        violate(ctx, rule, 'data-store-ingress', 'data stores accept connections only from a referenced security group (the engine)');
      }
    }
  }
  for (const group of blocksOfType(ctx.config, 'aws_security_group')) {
    if ('ingress' in group.body || 'egress' in group.body) {
      violate(ctx, group, 'sg-inline-rules', 'inline ingress/egress blocks; use one aws_vpc_security_group_*_rule per rule');
    }
  }
}

function checkVpc(ctx: PolicyContext): void {
  const flowLogs = blocksOfType(ctx.config, 'aws_flow_log');
  const defaults = blocksOfType(ctx.config, 'aws_default_security_group');
  for (const vpc of blocksOfType(ctx.config, 'aws_vpc')) {
    if (!flowLogs.some((f) => references(f.body['vpc_id'], vpc.address))) violate(ctx, vpc, 'flow-logs', 'the VPC needs an aws_flow_log');
    const guard = defaults.find((d) => references(d.body['vpc_id'], vpc.address));
    if (!guard || 'ingress' in guard.body || 'egress' in guard.body) {
      violate(ctx, vpc, 'default-sg', 'manage the default security group with no rules, so nothing can use its allow-all default');
    }
  }
  for (const subnet of blocksOfType(ctx.config, 'aws_subnet')) {
    const count = resolveIn(ctx.config, undefined, subnet.body['count']);
    if (!count.known || Number(count.value) < 3 || !String(subnet.body['availability_zone']).includes('count.index')) {
      violate(ctx, subnet, 'multi-az', 'each subnet tier has count = 3 with availability_zone chosen by count.index');
    }
    if (subnet.body['map_public_ip_on_launch'] === true) violate(ctx, subnet, 'no-public-ip', 'subnets never assign public IPs');
  }
  for (const group of [...blocksOfType(ctx.config, 'aws_db_subnet_group'), ...blocksOfType(ctx.config, 'aws_elasticache_subnet_group')]) {
    if (!/aws_subnet\.\w+\[\*\]/.test(JSON.stringify(group.body['subnet_ids'] ?? null))) {
      violate(ctx, group, 'multi-az', 'subnet_ids must be a whole subnet tier (aws_subnet.<tier>[*].id)');
    }
  }
}

export function checkNetworkPolicy(ctx: PolicyContext): void {
  checkRules(ctx);
  checkVpc(ctx);
}
