# Inputs of the projection stores and journal shipping: Aurora, ElastiCache, MSK.

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "aurora_instance_class" {
  description = "Instance class of the Aurora writer and readers."
  type        = string
}

variable "aurora_instance_count" {
  description = "Aurora instances (one writer, the rest readers in other AZs)."
  type        = number

  validation {
    condition     = var.aurora_instance_count >= 2
    error_message = "aurora_instance_count must be at least 2 for a Multi-AZ cluster."
  }
}

variable "aurora_backup_retention_days" {
  description = "Automated backup retention (point-in-time recovery window)."
  type        = number

  validation {
    condition     = var.aurora_backup_retention_days >= 7 && var.aurora_backup_retention_days <= 35
    error_message = "aurora_backup_retention_days must be between 7 and 35."
  }
}

variable "cache_engine_version" {
  description = "Valkey engine version."
  type        = string
  default     = "8.0"
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "cache_node_count" {
  description = "Nodes in the replication group (one primary, the rest replicas in other AZs)."
  type        = number

  validation {
    condition     = var.cache_node_count >= 2
    error_message = "cache_node_count must be at least 2 for automatic failover."
  }
}

variable "cache_snapshot_retention_days" {
  description = "Daily snapshot retention of the cache."
  type        = number
  default     = 3
}

variable "enable_msk" {
  description = "Create an MSK cluster that the journal shipper produces to."
  type        = bool
}

variable "msk_kafka_version" {
  description = "Kafka version of the MSK cluster."
  type        = string
  default     = "3.8.x"
}

variable "msk_instance_type" {
  description = "MSK broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_volume_size_gib" {
  description = "EBS storage per MSK broker."
  type        = number
  default     = 500
}
