# Log groups are created here, before the services that write to them, so each has a retention and the logs key.

resource "aws_cloudwatch_log_group" "engine" {
  name              = "/${local.name}/engine"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/${local.name}/vpc-flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# WAF only delivers to log groups whose names start with aws-waf-logs-.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The name RDS itself writes to; creating it first puts retention and encryption on it.
resource "aws_cloudwatch_log_group" "aurora" {
  name              = "/aws/rds/cluster/${local.name}-projections/postgresql"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_group" "cache_slow_log" {
  name              = "/${local.name}/cache/slow-log"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_group" "msk" {
  count = var.enable_msk ? 1 : 0

  name              = "/${local.name}/msk/broker"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}
