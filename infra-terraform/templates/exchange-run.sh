#!/bin/bash
# Runs the exchange container in the foreground for systemd: reads the engine's secrets, logs in to ECR, pulls the
# image and execs `docker run`. Settings come from /etc/exchange/host.env (the unit's EnvironmentFile).
set -euo pipefail

secret() {
  aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$1" --query SecretString --output text
}

imds() {
  local token
  token=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

admin_api_key=$(secret "$ADMIN_API_KEY_SECRET_ARN")
jwt_secret=$(secret "$JWT_SECRET_SECRET_ARN")
cache_auth_token=$(secret "$CACHE_AUTH_SECRET_ARN")
# The projection URL is stored by the operator after creating the role; without it the server skips PostgreSQL.
pg_url=$(secret "$PG_URL_SECRET_ARN" 2>/dev/null || true)
instance_id=$(imds instance-id)
# leader or standby, from the Auto Scaling group's Role tag (engine.tf). No tag, no start: guessing could make a
# second leader.
role=$(imds tags/instance/Role)
group=$(aws autoscaling describe-auto-scaling-instances --region "$AWS_REGION" --instance-ids "$instance_id" \
  --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text)

# A new host (empty journal volume) continues from the copy that its group's previous host left in S3 when it was
# drained (exchange-watchdog). If that host ended without a complete drain, its journal died with its volume: start
# nothing and say so, because starting empty or from an older copy would silently roll the venue back. The copy
# lands in a scratch directory first, so an interrupted download is never mistaken for a journal.
restore_from_previous_host() {
  local newest previous scratch="$DATA_DIR/.restoring"
  # shellcheck disable=SC2016 # a JMESPath literal (no host yet: an empty list), not a shell expression
  newest=$(aws s3api list-objects-v2 --region "$AWS_REGION" --bucket "$DRAIN_BUCKET" --prefix "hosts/$group/" \
    --query 'sort_by(Contents || `[]`, &LastModified)[-1].Key' --output text)
  if [ -z "$newest" ] || [ "$newest" = "None" ]; then
    return 0
  fi
  previous=$(basename "$newest" .started)
  if ! aws s3api head-object --region "$AWS_REGION" --bucket "$DRAIN_BUCKET" --key "drained/$group/$previous/DRAINED" >/dev/null 2>&1; then
    if [ "${ALLOW_EMPTY_START:-}" = "$previous" ]; then
      return 0
    fi
    echo "host $previous of $group ended without a complete drain to s3://$DRAIN_BUCKET/drained/$group/$previous/:" \
      "its journal is lost with its volume. Recover it by hand, or add ALLOW_EMPTY_START=$previous to" \
      "/etc/exchange/host.env to start an empty venue." >&2
    exit 1
  fi
  rm -rf "$scratch"
  aws s3 sync --only-show-errors --region "$AWS_REGION" "s3://$DRAIN_BUCKET/drained/$group/$previous/" "$scratch/" --exclude DRAINED
  find "$scratch" -mindepth 1 -maxdepth 1 -exec mv -t "$DATA_DIR" {} +
  rmdir "$scratch"
  chown -R 1000:1000 "$DATA_DIR"
}

if [ -z "$(find "$DATA_DIR" -mindepth 1 -maxdepth 1 ! -name .restoring -print -quit)" ]; then
  restore_from_previous_host
fi
echo "$role" | aws s3 cp --only-show-errors --region "$AWS_REGION" - "s3://$DRAIN_BUCKET/hosts/$group/$instance_id.started"

# Secrets go to a root-only file on tmpfs, never onto the docker command line (visible in ps).
env_file=/run/exchange/engine.env
install -d -m 0700 /run/exchange
umask 077
{
  echo "ADMIN_API_KEY=$admin_api_key"
  echo "JWT_SECRET=$jwt_secret"
  echo "REDIS_URL=rediss://:$cache_auth_token@$CACHE_HOST:6379"
  echo "DURABILITY=$DURABILITY"
  echo "VENUE_ROLE=$role"
  # Clients reach the engine only through the ALB, which appends their address to X-Forwarded-For.
  echo "TRUSTED_PROXY_HOPS=1"
  # Not in the server's contract yet: where sealed segments and snapshots belong once the server archives them itself.
  echo "JOURNAL_ARCHIVE_BUCKET=$JOURNAL_ARCHIVE_BUCKET"
  echo "SNAPSHOT_BUCKET=$DRAIN_BUCKET"
  if [ -n "$pg_url" ]; then echo "PG_URL=$pg_url"; fi
  if [ -n "$KAFKA_BROKERS" ]; then echo "KAFKA_BROKERS=$KAFKA_BROKERS"; fi
} > "$env_file"

aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$ECR_REGISTRY"
docker pull "$IMAGE_URI"
docker rm --force exchange >/dev/null 2>&1 || true

# Host networking: no bridge or NAT hop on the hot path, and IMDSv2 keeps working with a hop limit of 1.
exec docker run --name exchange --rm --network host \
  --env-file "$env_file" \
  --env "EXCHANGE_PORT=$ENGINE_PORT" \
  --volume "$DATA_DIR:$DATA_DIR" \
  --stop-timeout "$STOP_TIMEOUT_SECONDS" \
  --ulimit nofile=1048576:1048576 \
  --log-driver awslogs \
  --log-opt "awslogs-region=$AWS_REGION" \
  --log-opt "awslogs-group=$LOG_GROUP" \
  --log-opt "awslogs-stream=$instance_id" \
  "$IMAGE_URI" node dist/server/main.js --port "$ENGINE_PORT" --data-dir "$DATA_DIR"
