data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# AWS publishes the latest Amazon Linux 2023 AMI id here; a new AMI reaches instances at their next replacement.
data "aws_ssm_parameter" "engine_ami" {
  name = var.engine_ami_ssm_parameter
}

# The regional Elastic Load Balancing account that writes ALB access logs in regions opened before August 2022.
data "aws_elb_service_account" "current" {}
