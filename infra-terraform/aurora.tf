# Aurora PostgreSQL for the history projection (orders, trades, balances over time). Off the hot path: the engine
# acknowledges from its own journal, and the projector catches up after any Aurora failover.

resource "aws_db_subnet_group" "aurora" {
  name       = "${local.name}-aurora"
  subnet_ids = aws_subnet.data[*].id
}

resource "aws_rds_cluster_parameter_group" "aurora" {
  name_prefix = "${local.name}-aurora-"
  family      = "aurora-postgresql${split(".", var.aurora_engine_version)[0]}"
  description = "TLS-only connections for ${local.name}"

  # Aurora PostgreSQL accepts plaintext connections unless this is set.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_rds_cluster" "projections" {
  cluster_identifier                  = "${local.name}-projections"
  engine                              = "aurora-postgresql"
  engine_version                      = var.aurora_engine_version
  database_name                       = "exchange"
  master_username                     = "exchange_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.secrets.arn
  iam_database_authentication_enabled = true
  db_subnet_group_name                = aws_db_subnet_group.aurora.name
  vpc_security_group_ids              = [aws_security_group.aurora.id]
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.aurora.name
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.rds.arn
  backup_retention_period             = var.aurora_backup_retention_days
  preferred_backup_window             = "02:00-03:00"
  preferred_maintenance_window        = "sun:04:00-sun:05:00"
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${local.name}-projections-final"
  enabled_cloudwatch_logs_exports     = ["postgresql"]

  depends_on = [aws_cloudwatch_log_group.aurora]
}

# One instance per AZ in turn: the writer and at least one reader in another AZ to fail over to.
resource "aws_rds_cluster_instance" "projections" {
  count = var.aurora_instance_count

  identifier                            = "${local.name}-projections-${count.index}"
  cluster_identifier                    = aws_rds_cluster.projections.id
  instance_class                        = var.aurora_instance_class
  engine                                = aws_rds_cluster.projections.engine
  engine_version                        = aws_rds_cluster.projections.engine_version
  db_subnet_group_name                  = aws_db_subnet_group.aurora.name
  availability_zone                     = local.azs[count.index % 3]
  publicly_accessible                   = false
  auto_minor_version_upgrade            = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.rds.arn
  performance_insights_retention_period = 7
  promotion_tier                        = count.index
}
