#!/bin/bash
# Speaks for one engine host to its Auto Scaling group. When the group starts terminating the instance, it stops
# the engine gracefully (drain, final fsync and snapshot), copies the data directory to S3 and lets termination
# continue. When /healthz stops answering after having answered once, it reports the instance unhealthy so the group
# replaces it. The ALB's /healthz/leader check decides who gets traffic; this decides who gets replaced.
set -euo pipefail

probe_interval_seconds=5
liveness_failures_max=12

imds() {
  local token
  token=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

instance_id=$(imds instance-id)
group_name=$(aws autoscaling describe-auto-scaling-instances --region "$AWS_REGION" --instance-ids "$instance_id" \
  --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text)

# DRAINED is written only after a complete copy: the group's next host restores from it (exchange-run), and refuses
# to start when it is missing. Termination goes on either way.
drain_and_release() {
  systemctl stop exchange.service
  if aws s3 sync --only-show-errors "$DATA_DIR" "s3://$DRAIN_BUCKET/drained/$group_name/$instance_id/"; then
    echo drained | aws s3 cp --only-show-errors - "s3://$DRAIN_BUCKET/drained/$group_name/$instance_id/DRAINED" || true
  fi
  aws autoscaling complete-lifecycle-action --region "$AWS_REGION" --auto-scaling-group-name "$group_name" \
    --lifecycle-hook-name "$LIFECYCLE_HOOK_NAME" --instance-id "$instance_id" --lifecycle-action-result CONTINUE
}

armed=false
failures=0
while true; do
  if [ "$(imds autoscaling/target-lifecycle-state || true)" = "Terminated" ]; then
    drain_and_release
    exit 0
  fi
  if curl -sf --max-time 2 "http://127.0.0.1:$ENGINE_PORT/healthz" >/dev/null; then
    armed=true
    failures=0
  elif [ "$armed" = true ]; then
    failures=$((failures + 1))
    if [ "$failures" -ge "$liveness_failures_max" ]; then
      aws autoscaling set-instance-health --region "$AWS_REGION" --instance-id "$instance_id" --health-status Unhealthy
      armed=false
      failures=0
    fi
  fi
  sleep "$probe_interval_seconds"
done
