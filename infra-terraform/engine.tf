# The matching engine: one process per host, two hosts. Each sits in its own single-instance Auto Scaling group
# (engine_a, engine_b) so either can be replaced alone; both register in the one target group, whose health check
# (/healthz/leader) passes only on the leader. The server has no leader election yet, so each group fixes its hosts'
# role with a Role tag (read from instance metadata by exchange-run.sh as VENUE_ROLE): engine_a leads, engine_b is a
# standby that refuses everything. Never tag both "leader": two leaders are two venues taking orders.

resource "aws_placement_group" "engine" {
  name     = "${local.name}-engine"
  strategy = "cluster"
}

resource "aws_launch_template" "engine" {
  name                   = "${local.name}-engine"
  image_id               = data.aws_ssm_parameter.engine_ami.insecure_value
  instance_type          = var.engine_instance_type
  ebs_optimized          = true
  update_default_version = true
  vpc_security_group_ids = [aws_security_group.engine.id]

  user_data = base64gzip(templatefile("${path.module}/templates/engine-user-data.sh.tftpl", {
    region                    = local.region
    image_uri                 = local.image_uri
    ecr_registry              = split("/", aws_ecr_repository.engine.repository_url)[0]
    log_group                 = aws_cloudwatch_log_group.engine.name
    engine_port               = var.engine_port
    data_dir                  = local.journal_mount_path
    durability                = var.engine_durability
    stop_timeout_seconds      = var.engine_stop_timeout_seconds
    unit_stop_timeout_seconds = var.engine_stop_timeout_seconds + 30
    admin_api_key_secret_arn  = aws_secretsmanager_secret.admin_api_key.arn
    jwt_secret_secret_arn     = aws_secretsmanager_secret.jwt_secret.arn
    cache_auth_secret_arn     = aws_secretsmanager_secret.cache_auth_token.arn
    pg_url_secret_arn         = aws_secretsmanager_secret.projection_pg_url.arn
    cache_host                = aws_elasticache_replication_group.cache.primary_endpoint_address
    kafka_brokers             = var.enable_msk ? aws_msk_cluster.journal[0].bootstrap_brokers_sasl_iam : ""
    lifecycle_hook_name       = "drain"
    drain_bucket              = aws_s3_bucket.snapshots.id
    journal_archive_bucket    = aws_s3_bucket.journal_archive.id
    run_script                = file("${path.module}/templates/exchange-run.sh")
    watchdog_script           = file("${path.module}/templates/exchange-watchdog.sh")
  }))

  iam_instance_profile {
    arn = aws_iam_instance_profile.engine.arn
  }

  # IMDSv2 only. Hop limit 1 suffices because the container uses the host's network namespace.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  monitoring {
    enabled = true
  }

  maintenance_options {
    auto_recovery = "default"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = var.engine_root_volume_size_gib
      encrypted             = true
      kms_key_id            = aws_kms_key.ebs.arn
      delete_on_termination = true
    }
  }

  # The journal: its own volume so fsync latency is not shared with the OS or Docker. It dies with the instance;
  # the drain hook copies the data directory to S3 on a graceful termination (see README, Failover).
  block_device_mappings {
    device_name = "/dev/sdf"

    ebs {
      volume_type           = var.journal_volume_type
      volume_size           = var.journal_volume_size_gib
      iops                  = var.journal_volume_iops
      throughput            = var.journal_volume_throughput_mibps
      encrypted             = true
      kms_key_id            = aws_kms_key.ebs.arn
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${local.name}-engine" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = "${local.name}-engine" })
  }
}

# Health is EC2 status plus the watchdog's /healthz report, never the ALB check: the standby is unhealthy in the
# target group by design and must not be replaced for it.
resource "aws_autoscaling_group" "engine_a" {
  name                      = "${local.name}-engine-a"
  min_size                  = 1
  max_size                  = 1
  desired_capacity          = 1
  vpc_zone_identifier       = [aws_subnet.app[var.engine_az_index].id]
  placement_group           = aws_placement_group.engine.id
  target_group_arns         = [aws_lb_target_group.engine.arn]
  health_check_type         = "EC2"
  health_check_grace_period = 300
  metrics_granularity       = "1Minute"
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances"]

  launch_template {
    id      = aws_launch_template.engine.id
    version = aws_launch_template.engine.latest_version
  }

  initial_lifecycle_hook {
    name                 = "drain"
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    heartbeat_timeout    = var.engine_stop_timeout_seconds + 600
    default_result       = "CONTINUE"
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-engine-a"
    propagate_at_launch = true
  }

  tag {
    key                 = "Role"
    value               = "leader"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_group" "engine_b" {
  name                      = "${local.name}-engine-b"
  min_size                  = 1
  max_size                  = 1
  desired_capacity          = 1
  vpc_zone_identifier       = [aws_subnet.app[var.standby_in_placement_group ? var.engine_az_index : (var.engine_az_index + 1) % 3].id]
  placement_group           = var.standby_in_placement_group ? aws_placement_group.engine.id : null
  target_group_arns         = [aws_lb_target_group.engine.arn]
  health_check_type         = "EC2"
  health_check_grace_period = 300
  metrics_granularity       = "1Minute"
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances"]

  launch_template {
    id      = aws_launch_template.engine.id
    version = aws_launch_template.engine.latest_version
  }

  initial_lifecycle_hook {
    name                 = "drain"
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    heartbeat_timeout    = var.engine_stop_timeout_seconds + 600
    default_result       = "CONTINUE"
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-engine-b"
    propagate_at_launch = true
  }

  tag {
    key                 = "Role"
    value               = "standby"
    propagate_at_launch = true
  }
}
