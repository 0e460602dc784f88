output "venue_url" {
  description = "WebSocket endpoint of the venue."
  value       = "wss://${var.domain_name}/ws"
}

output "alb_dns_name" {
  description = "DNS name of the ALB (the alias target of domain_name)."
  value       = aws_lb.public.dns_name
}

output "ecr_repository_url" {
  description = "Push the engine image here, tagged with var.image_tag."
  value       = aws_ecr_repository.engine.repository_url
}

output "admin_api_key_secret_arn" {
  description = "Secrets Manager secret holding the first admin credential (ADMIN_API_KEY)."
  value       = aws_secretsmanager_secret.admin_api_key.arn
}

output "projection_pg_url_secret_arn" {
  description = "Secret to store the projection role's PG_URL in (see README)."
  value       = aws_secretsmanager_secret.projection_pg_url.arn
}

output "aurora_writer_endpoint" {
  description = "Writer endpoint of the projection database."
  value       = aws_rds_cluster.projections.endpoint
}

output "aurora_master_secret_arn" {
  description = "Secret with the Aurora master credentials (managed and rotated by RDS)."
  value       = aws_rds_cluster.projections.master_user_secret[0].secret_arn
}

output "cache_primary_endpoint" {
  description = "Primary endpoint of the Valkey replication group (TLS, AUTH)."
  value       = aws_elasticache_replication_group.cache.primary_endpoint_address
}

output "msk_bootstrap_brokers" {
  description = "Bootstrap brokers for TLS + IAM clients; empty when enable_msk is false."
  value       = var.enable_msk ? aws_msk_cluster.journal[0].bootstrap_brokers_sasl_iam : ""
}

output "journal_archive_bucket" {
  description = "Bucket of archived journal segments."
  value       = aws_s3_bucket.journal_archive.id
}

output "snapshot_bucket" {
  description = "Bucket of engine snapshots and drained data directories."
  value       = aws_s3_bucket.snapshots.id
}

output "engine_autoscaling_groups" {
  description = "The two single-instance engine groups; either may hold the leader."
  value       = [aws_autoscaling_group.engine_a.name, aws_autoscaling_group.engine_b.name]
}

output "alarm_topic_arn" {
  description = "SNS topic of the CloudWatch alarms."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the venue."
  value       = aws_cloudwatch_dashboard.venue.dashboard_name
}
