// Identity policies: no wildcard actions, `*` resources only for actions that have no resource level, no deletes on
// the journal archive, and the drain and liveness alarms that the failover design depends on.
import { blocksAt, blocksOfType, references, violate, type PolicyContext } from './context.ts';

/** Actions AWS does not scope to a resource, so `resources = ["*"]` is their only form. */
const resourcelessActions = new Set(['ecr:GetAuthorizationToken', 'autoscaling:DescribeAutoScalingInstances']);

/** The journal archive is the bucket resource named journal_archive: the venue's audit trail. */
const archiveName = 'journal_archive';

export function checkIamPolicy(ctx: PolicyContext): void {
  const archive = blocksOfType(ctx.config, 'aws_s3_bucket').filter((b) => b.name === archiveName);
  for (const doc of blocksOfType(ctx.config, 'aws_iam_policy_document', 'data')) {
    for (const statement of blocksAt(doc.body, 'statement')) {
      // Statements with principals belong to resource policies (key and bucket policies), which name who, not what.
      if ('principals' in statement || statement['effect'] === 'Deny') continue;
      const actions = Array.isArray(statement['actions']) ? statement['actions'].map(String) : [String(statement['actions'] ?? '')];
      const sid = String(statement['sid'] ?? '(no sid)');
      for (const action of actions) {
        if (action === '*' || action.endsWith(':*')) violate(ctx, doc, 'iam-least-privilege', `statement ${sid}: wildcard action ${action}`);
        if (/^s3:Delete/.test(action) && archive.some((b) => references(statement['resources'], b.address))) {
          violate(ctx, doc, 'archive-immutability', `statement ${sid}: nobody but lifecycle rules deletes from the journal archive`);
        }
      }
      const resources = Array.isArray(statement['resources']) ? statement['resources'] : [];
      if (resources.includes('*') && actions.some((a) => !resourcelessActions.has(a))) {
        violate(ctx, doc, 'iam-least-privilege', `statement ${sid}: resources = ["*"] for actions that can be scoped`);
      }
    }
  }
  for (const bucket of archive) {
    if (bucket.body['object_lock_enabled'] !== true) violate(ctx, bucket, 'archive-immutability', 'the journal archive needs object_lock_enabled = true');
    if (!blocksOfType(ctx.config, 'aws_s3_bucket_object_lock_configuration').some((l) => references(l.body['bucket'], bucket.address))) {
      violate(ctx, bucket, 'archive-immutability', 'the journal archive needs an object lock default retention');
    }
  }
  const anchor = blocksOfType(ctx.config, 'aws_s3_bucket')[0];
  if (archive.length === 0 && anchor) violate(ctx, anchor, 'archive-immutability', `no aws_s3_bucket.${archiveName} for archived journal segments`);
}

export function checkAlarmPolicy(ctx: PolicyContext): void {
  const alarms = blocksOfType(ctx.config, 'aws_cloudwatch_metric_alarm');
  const watched = (metric: string, operator: string): boolean =>
    alarms.some((a) => a.body['metric_name'] === metric && a.body['comparison_operator'] === operator);
  const anchor = blocksOfType(ctx.config, 'aws_lb')[0];
  if (!anchor) return;
  if (!watched('HealthyHostCount', 'LessThanThreshold')) violate(ctx, anchor, 'alarms', 'no alarm on HealthyHostCount < 1 (no leader)');
  if (!watched('HealthyHostCount', 'GreaterThanThreshold')) violate(ctx, anchor, 'alarms', 'no alarm on HealthyHostCount > 1 (two leaders)');
  if (!watched('GroupInServiceInstances', 'LessThanThreshold')) violate(ctx, anchor, 'alarms', 'no alarm on an empty engine group (no standby)');
  for (const alarm of alarms) {
    if (!Array.isArray(alarm.body['alarm_actions']) && typeof alarm.body['alarm_actions'] !== 'string') violate(ctx, alarm, 'alarms', 'alarm_actions must notify someone');
  }
}
