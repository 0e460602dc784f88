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

# Secrets go to a root-only file on tmpfs, never onto the docker command line (visible in ps).
env_file=/run/exchange/engine.env
install -d -m 0700 /run/exchange
umask 077
{
  echo "ADMIN_API_KEY=$admin_api_key"
  echo "JWT_SECRET=$jwt_secret"
  echo "REDIS_URL=rediss://:$cache_auth_token@$CACHE_HOST:6379"
  echo "DURABILITY=$DURABILITY"
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
