# Inputs of S3 retention, logs and alarm notifications.

variable "journal_archive_lock_days" {
  description = "Object Lock (governance) retention of archived journal segments: nobody deletes them earlier by accident."
  type        = number
}

variable "journal_archive_glacier_after_days" {
  description = "Days before archived journal segments move to Glacier Instant Retrieval."
  type        = number
  default     = 30
}

variable "snapshot_expiry_days" {
  description = "Days after which superseded snapshot versions expire."
  type        = number
}

variable "alb_log_expiry_days" {
  description = "Days to keep ALB access logs."
  type        = number
  default     = 90
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for engine, VPC flow, WAF and data-store logs."
  type        = number

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value of at least 30."
  }
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each must confirm by email)."
  type        = list(string)
  default     = []
}
