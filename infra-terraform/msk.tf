# Optional MSK cluster that the journal shipper produces the command and event logs to, for downstream consumers.
# Three brokers, one per AZ; TLS everywhere, IAM authentication only, no automatic topic creation.

resource "aws_msk_configuration" "journal" {
  count = var.enable_msk ? 1 : 0

  name           = "${local.name}-journal"
  kafka_versions = [var.msk_kafka_version]

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "journal" {
  count = var.enable_msk ? 1 : 0

  cluster_name           = "${local.name}-journal"
  kafka_version          = var.msk_kafka_version
  number_of_broker_nodes = 3
  enhanced_monitoring    = "PER_BROKER"

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = aws_subnet.data[*].id
    security_groups = [aws_security_group.msk[0].id]

    storage_info {
      ebs_storage_info {
        volume_size = var.msk_volume_size_gib
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.journal[0].arn
    revision = aws_msk_configuration.journal[0].latest_revision
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.msk[0].arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk[0].name
      }
    }
  }
}
