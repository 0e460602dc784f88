# Sealed journal segments, archived by the leader. Object Lock (governance) plus no s3:DeleteObject for the engine
# role means a deposed or compromised leader cannot rewrite history; segments are the venue's audit trail and
# are kept forever, moving to Glacier Instant Retrieval after a month.

resource "aws_s3_bucket" "journal_archive" {
  bucket              = "${local.name}-journal-archive-${local.account_id}-${local.region}"
  object_lock_enabled = true
}

resource "aws_s3_bucket_ownership_controls" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "journal_archive" {
  bucket                  = aws_s3_bucket.journal_archive.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.storage.arn
    }
  }
}

resource "aws_s3_bucket_object_lock_configuration" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.journal_archive_lock_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.journal_archive]
}

resource "aws_s3_bucket_lifecycle_configuration" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id

  rule {
    id     = "archive-segments"
    status = "Enabled"

    filter {}

    transition {
      days          = var.journal_archive_glacier_after_days
      storage_class = "GLACIER_IR"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.journal_archive_lock_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.journal_archive]
}

data "aws_iam_policy_document" "journal_archive" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.journal_archive.arn, "${aws_s3_bucket.journal_archive.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "journal_archive" {
  bucket = aws_s3_bucket.journal_archive.id
  policy = data.aws_iam_policy_document.journal_archive.json

  depends_on = [aws_s3_bucket_public_access_block.journal_archive]
}
