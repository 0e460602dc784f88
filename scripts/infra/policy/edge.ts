// The public edge: ALB settings for WebSockets and safety, TLS 1.3 on HTTPS with HTTP only redirecting, a leader-only
// health check that fails over quickly, and WAF with AWS managed rules, a per-IP rate limit and logging.
import { isBlockList, isHclObject, type HclObject, type HclValue } from '../hcl.ts';
import {
  atLeast,
  atMost,
  blocksAt,
  blocksOfType,
  equals,
  isTrue,
  references,
  requireValue,
  valuesAt,
  violate,
  type PolicyContext,
} from './context.ts';

const requiredManagedGroups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
const rateWindowsSeconds = [60, 120, 300, 600];

function checkLoadBalancers(ctx: PolicyContext): void {
  for (const lb of blocksOfType(ctx.config, 'aws_lb')) {
    requireValue(ctx, lb, 'drop_invalid_header_fields', 'alb', 'must be true (request smuggling)', isTrue);
    requireValue(ctx, lb, 'enable_deletion_protection', 'deletion-protection', 'must be true', isTrue);
    requireValue(ctx, lb, 'idle_timeout', 'alb', 'must be at least 120 s so idle WebSockets between pings survive', atLeast(120));
    requireValue(ctx, lb, 'access_logs.enabled', 'alb', 'access logs must be on', isTrue);
    requireValue(ctx, lb, 'desync_mitigation_mode', 'alb', 'must be defensive or strictest', (v) => v === 'defensive' || v === 'strictest');
  }
  for (const listener of blocksOfType(ctx.config, 'aws_lb_listener')) {
    const protocol = listener.body['protocol'];
    if (protocol === 'HTTPS') {
      requireValue(ctx, listener, 'ssl_policy', 'tls', 'must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*)', (v) => typeof v === 'string' && v.startsWith('ELBSecurityPolicy-TLS13-'));
    } else if (protocol === 'HTTP') {
      requireValue(ctx, listener, 'default_action.type', 'tls', 'plain HTTP may only redirect', equals('redirect'));
      requireValue(ctx, listener, 'default_action.redirect.protocol', 'tls', 'plain HTTP must redirect to HTTPS', equals('HTTPS'));
    } else {
      violate(ctx, listener, 'tls', `protocol must be HTTPS, or HTTP that redirects; got ${JSON.stringify(protocol ?? null)}`);
    }
  }
  for (const group of blocksOfType(ctx.config, 'aws_lb_target_group')) {
    requireValue(ctx, group, 'health_check.path', 'target-group', 'only the leader may be healthy', equals('/healthz/leader'));
    requireValue(ctx, group, 'health_check.matcher', 'target-group', 'leader answers 200', equals('200'));
    requireValue(ctx, group, 'health_check.interval', 'target-group', 'failover detection needs interval <= 10 s', atMost(10));
    requireValue(ctx, group, 'health_check.unhealthy_threshold', 'target-group', 'failover detection needs unhealthy_threshold <= 3', atMost(3));
    requireValue(ctx, group, 'deregistration_delay', 'target-group', 'a deposed leader must release clients within 60 s', atMost(60));
  }
}

function statementsOf(rule: HclObject): HclObject[] {
  const statement = rule['statement'];
  return isBlockList(statement) ? statement : isHclObject(statement) ? [statement] : [];
}

function checkWaf(ctx: PolicyContext): void {
  const albs = blocksOfType(ctx.config, 'aws_lb');
  const associations = blocksOfType(ctx.config, 'aws_wafv2_web_acl_association');
  const logging = blocksOfType(ctx.config, 'aws_wafv2_web_acl_logging_configuration');
  const acls = blocksOfType(ctx.config, 'aws_wafv2_web_acl');
  for (const lb of albs) {
    if (!associations.some((a) => references(a.body['resource_arn'], lb.address))) violate(ctx, lb, 'waf', 'no aws_wafv2_web_acl_association protects this ALB');
  }
  for (const acl of acls) {
    requireValue(ctx, acl, 'scope', 'waf', 'an ALB web ACL is REGIONAL', equals('REGIONAL'));
    if (!logging.some((l) => references(l.body['resource_arn'], acl.address))) violate(ctx, acl, 'waf', 'no aws_wafv2_web_acl_logging_configuration');
    const rules = blocksAt(acl.body, 'rule');
    const managed = new Set<HclValue>();
    let rateLimited = false;
    for (const rule of rules) {
      const name = String(rule['name'] ?? '?');
      for (const statement of statementsOf(rule)) {
        for (const group of blocksAt(statement, 'managed_rule_group_statement')) {
          managed.add(group['name'] ?? null);
          if (blocksAt(rule, 'override_action.none').length === 0) violate(ctx, acl, 'waf', `rule ${name}: managed groups must keep their actions (override_action { none {} })`);
        }
        for (const rate of blocksAt(statement, 'rate_based_statement')) {
          rateLimited = true;
          if (rate['aggregate_key_type'] !== 'IP') violate(ctx, acl, 'waf', `rule ${name}: rate limit must aggregate by IP`);
          if (rate['limit'] === undefined) violate(ctx, acl, 'waf', `rule ${name}: rate limit needs a limit`);
          if (!rateWindowsSeconds.includes(Number(rate['evaluation_window_sec']))) violate(ctx, acl, 'waf', `rule ${name}: evaluation_window_sec must be one of ${rateWindowsSeconds.join(', ')}`);
          if (blocksAt(rule, 'action.block').length === 0) violate(ctx, acl, 'waf', `rule ${name}: the rate limit must block`);
        }
      }
    }
    for (const group of requiredManagedGroups) if (!managed.has(group)) violate(ctx, acl, 'waf', `managed rule group ${group} is missing`);
    if (!rateLimited) violate(ctx, acl, 'waf', 'no rate_based_statement rule');
    for (const flag of valuesAt(acl.body, 'visibility_config.cloudwatch_metrics_enabled').concat(rules.flatMap((r) => valuesAt(r, 'visibility_config.cloudwatch_metrics_enabled')))) {
      if (flag !== true) violate(ctx, acl, 'waf', 'every visibility_config must enable CloudWatch metrics');
    }
  }
  if (albs.length > 0 && acls.length === 0) violate(ctx, albs[0]!, 'waf', 'no aws_wafv2_web_acl');
}

export function checkEdgePolicy(ctx: PolicyContext): void {
  checkLoadBalancers(ctx);
  checkWaf(ctx);
}
