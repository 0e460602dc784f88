# Inputs of the engine hosts.

variable "engine_instance_type" {
  description = "EC2 type for the engine (x86_64: the uWebSockets.js binary in the image is linux-x64)."
  type        = string
}

variable "engine_ami_ssm_parameter" {
  description = "SSM public parameter naming the engine AMI."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "engine_port" {
  description = "Port of the server's HTTP and WebSocket listener (the server's --port)."
  type        = number
  default     = 8080
}

variable "replication_port" {
  description = "Port on which the leader serves its journal to the hot standby (the Kafka-compatible replay endpoint)."
  type        = number
  default     = 9092
}

variable "engine_az_index" {
  description = "Which of the three AZs holds the cluster placement group (0, 1 or 2)."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1, 2], var.engine_az_index)
    error_message = "engine_az_index must be 0, 1 or 2."
  }
}

variable "standby_in_placement_group" {
  description = "true: the standby shares the leader's cluster placement group (tens of microseconds to replicate, one AZ of fate). false: it runs in the next AZ (hundreds of microseconds, survives an AZ outage)."
  type        = bool
}

variable "engine_root_volume_size_gib" {
  description = "Root volume size (OS, Docker images, container logs buffer)."
  type        = number
  default     = 30
}

variable "journal_volume_type" {
  description = "EBS type of the journal volume: io2 for a latency SLO on fsync (prod), gp3 otherwise."
  type        = string

  validation {
    condition     = contains(["io2", "gp3"], var.journal_volume_type)
    error_message = "journal_volume_type must be io2 or gp3."
  }
}

variable "journal_volume_size_gib" {
  description = "Journal volume size; segments older than the latest snapshot are archived to S3 and may be pruned."
  type        = number
}

variable "journal_volume_iops" {
  description = "Provisioned IOPS of the journal volume."
  type        = number
}

variable "journal_volume_throughput_mibps" {
  description = "gp3 throughput in MiB/s; must be null for io2."
  type        = number
  default     = null
}

variable "engine_stop_timeout_seconds" {
  description = "Grace period for SIGTERM: drain, flush and fsync the journal, write the final snapshot."
  type        = number
  default     = 120
}

variable "engine_durability" {
  description = "Server durability mode (DURABILITY); fsync acknowledges only after fdatasync."
  type        = string
  default     = "fsync"

  validation {
    condition     = var.engine_durability == "fsync"
    error_message = "A deployed venue acknowledges only durable commands: engine_durability must be fsync."
  }
}

variable "secrets_version" {
  description = "Bump to generate new admin API key, JWT secret and Redis auth token (restart both engines after)."
  type        = number
  default     = 1
}
