# The engine image lives in this stack's own registry: immutable tags make a deployed tag mean one build forever,
# and instances pull through VPC endpoints without internet access.

resource "aws_ecr_repository" "engine" {
  name                 = "${local.name}/engine"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.storage.arn
  }
}

resource "aws_ecr_lifecycle_policy" "engine" {
  repository = aws_ecr_repository.engine.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 50 newest images (rollbacks reach back that far)"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 50
      }
      action = { type = "expire" }
    }]
  })
}
