locals {
  name       = "${var.project}-${var.environment}"
  azs        = slice(data.aws_availability_zones.available.names, 0, 3)
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  tags = {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  image_uri = "${aws_ecr_repository.engine.repository_url}:${var.image_tag}"

  # Where the journal volume is mounted on the host and inside the container (the server's --data-dir).
  journal_mount_path = "/var/lib/exchange"

  # AWS APIs the engine host calls; interface endpoints keep that traffic inside the VPC (no internet egress).
  interface_endpoint_services = toset([
    "autoscaling",
    "ec2messages",
    "ecr.api",
    "ecr.dkr",
    "logs",
    "secretsmanager",
    "ssm",
    "ssmmessages",
  ])
}
