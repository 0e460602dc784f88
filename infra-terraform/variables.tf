# Inputs. Environment sizing lives in env/<environment>.tfvars; account-specific identifiers (domain, hosted zone,
# image tag) are passed on the command line, as the README shows.

variable "project" {
  description = "Name prefix for every resource."
  type        = string
  default     = "exchange"
}

variable "environment" {
  description = "Deployment environment; selects sizing through env/<environment>.tfvars."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "region" {
  description = "AWS region for the whole stack."
  type        = string
}

variable "domain_name" {
  description = "Public DNS name of the venue (e.g. trade.example.com); an ACM certificate is issued for it."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone that holds domain_name; used for DNS validation and the ALB alias."
  type        = string
}

variable "image_tag" {
  description = "Tag of the engine image in this stack's ECR repository (immutable tags: one per build)."
  type        = string
}

variable "deletion_protection" {
  description = "Guards the ALB, Aurora and the journal archive against deletion; set false only to tear down."
  type        = bool
  default     = true
}
