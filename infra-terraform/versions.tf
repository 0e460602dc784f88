# Terraform 1.11 for write-only arguments (`*_wo`), which keep generated secrets out of the state file.
terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: bucket, key and region come from `terraform init -backend-config=...` (see README).
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
