# Inputs of the network and the public edge (ALB, WAF).

variable "vpc_cidr" {
  description = "VPC CIDR; carved into /24 public, /20 app and /22 data subnets in three AZs."
  type        = string
  default     = "10.40.0.0/16"
}

variable "nat_gateway_count" {
  description = "NAT gateways for the app subnets (0, 1 or 3). The engine needs none: its security group only reaches VPC endpoints and the data stores."
  type        = number
  default     = 1

  validation {
    condition     = contains([0, 1, 3], var.nat_gateway_count)
    error_message = "nat_gateway_count must be 0, 1 or 3."
  }
}

variable "public_ingress_cidrs" {
  description = "Client networks allowed to reach the ALB on 443 and 80."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "metrics_scraper_security_group_id" {
  description = "Security group of a Prometheus server allowed to scrape /metrics on the engine port; null for none."
  type        = string
  default     = null
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout. WebSocket pings from the server (<= 30 s) must arrive well inside it."
  type        = number
  default     = 300

  validation {
    condition     = var.alb_idle_timeout_seconds >= 120 && var.alb_idle_timeout_seconds <= 4000
    error_message = "alb_idle_timeout_seconds must be between 120 and 4000."
  }
}

variable "alb_deregistration_delay_seconds" {
  description = "How long a deposed leader keeps its connections; clients reconnect and gap-fill by sequence number."
  type        = number
  default     = 15

  validation {
    condition     = var.alb_deregistration_delay_seconds <= 60
    error_message = "alb_deregistration_delay_seconds must be at most 60."
  }
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests per client IP per 5 minutes before WAF blocks it (HTTP requests and WebSocket upgrades)."
  type        = number
  default     = 2000
}
