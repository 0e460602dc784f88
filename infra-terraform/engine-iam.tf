# The engine host's role: Session Manager instead of SSH, its own secrets, its own log group, its own buckets
# without delete, its own image, and health/lifecycle calls on its own two Auto Scaling groups.

data "aws_iam_policy_document" "engine_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "engine" {
  name               = "${local.name}-engine"
  assume_role_policy = data.aws_iam_policy_document.engine_assume.json
}

resource "aws_iam_instance_profile" "engine" {
  name = "${local.name}-engine"
  role = aws_iam_role.engine.name
}

resource "aws_iam_role_policy_attachment" "engine_ssm" {
  role       = aws_iam_role.engine.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "engine" {
  statement {
    sid     = "ReadOwnSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.admin_api_key.arn,
      aws_secretsmanager_secret.jwt_secret.arn,
      aws_secretsmanager_secret.cache_auth_token.arn,
      aws_secretsmanager_secret.projection_pg_url.arn,
    ]
  }

  statement {
    sid       = "DecryptSecrets"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullEngineImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.engine.arn]
  }

  statement {
    sid       = "WriteEngineLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.engine.arn}:*"]
  }

  statement {
    sid       = "ListArchiveBuckets"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.journal_archive.arn, aws_s3_bucket.snapshots.arn]
  }

  # No s3:DeleteObject: archived segments and snapshots are removed only by lifecycle rules.
  statement {
    sid       = "ReadWriteArchiveObjects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.journal_archive.arn}/*", "${aws_s3_bucket.snapshots.arn}/*"]
  }

  statement {
    sid       = "UseStorageKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.storage.arn]
  }

  statement {
    sid       = "FindOwnGroup"
    actions   = ["autoscaling:DescribeAutoScalingInstances"]
    resources = ["*"]
  }

  statement {
    sid     = "ReportHealthAndFinishDrain"
    actions = ["autoscaling:SetInstanceHealth", "autoscaling:CompleteLifecycleAction"]
    resources = [
      aws_autoscaling_group.engine_a.arn,
      aws_autoscaling_group.engine_b.arn,
    ]
  }
}

resource "aws_iam_role_policy" "engine" {
  name   = "engine"
  role   = aws_iam_role.engine.id
  policy = data.aws_iam_policy_document.engine.json
}

data "aws_iam_policy_document" "engine_msk" {
  count = var.enable_msk ? 1 : 0

  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.journal[0].arn]
  }

  statement {
    sid = "ProduceJournalTopics"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:WriteData",
    ]
    resources = ["${replace(aws_msk_cluster.journal[0].arn, ":cluster/", ":topic/")}/*"]
  }
}

resource "aws_iam_role_policy" "engine_msk" {
  count = var.enable_msk ? 1 : 0

  name   = "engine-msk"
  role   = aws_iam_role.engine.id
  policy = data.aws_iam_policy_document.engine_msk[0].json
}
