# Rules of the public edge and the engine hosts: clients reach the ALB, the ALB reaches the engine, the engine
# reaches AWS APIs (endpoints, S3), the data stores and its standby.

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.public_ingress_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS and WebSocket upgrades from clients"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each = toset(var.public_ingress_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTP, answered with a redirect to HTTPS"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_engine" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Forward requests and health checks to the engine"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = var.engine_port
  to_port                      = var.engine_port
}

resource "aws_vpc_security_group_ingress_rule" "engine_from_alb" {
  security_group_id            = aws_security_group.engine.id
  description                  = "Client traffic and health checks from the ALB"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.engine_port
  to_port                      = var.engine_port
}

resource "aws_vpc_security_group_ingress_rule" "engine_from_scraper" {
  count = var.metrics_scraper_security_group_id == null ? 0 : 1

  security_group_id            = aws_security_group.engine.id
  description                  = "Prometheus scrapes /metrics"
  referenced_security_group_id = var.metrics_scraper_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.engine_port
  to_port                      = var.engine_port
}

resource "aws_vpc_security_group_ingress_rule" "engine_replication" {
  security_group_id            = aws_security_group.engine.id
  description                  = "Standby reads the leader's journal stream"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = var.replication_port
  to_port                      = var.replication_port
}

resource "aws_vpc_security_group_egress_rule" "engine_replication" {
  security_group_id            = aws_security_group.engine.id
  description                  = "Standby reads the leader's journal stream"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = var.replication_port
  to_port                      = var.replication_port
}

resource "aws_vpc_security_group_egress_rule" "engine_to_endpoints" {
  security_group_id            = aws_security_group.engine.id
  description                  = "AWS APIs through interface endpoints"
  referenced_security_group_id = aws_security_group.endpoints.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "engine_to_s3" {
  security_group_id = aws_security_group.engine.id
  description       = "S3 through the gateway endpoint"
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "engine_to_aurora" {
  security_group_id            = aws_security_group.engine.id
  description                  = "Projection writer to Aurora"
  referenced_security_group_id = aws_security_group.aurora.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "engine_to_cache" {
  security_group_id            = aws_security_group.engine.id
  description                  = "Projection writer to Valkey"
  referenced_security_group_id = aws_security_group.cache.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_egress_rule" "engine_to_msk" {
  count = var.enable_msk ? 1 : 0

  security_group_id            = aws_security_group.engine.id
  description                  = "Journal shipper to MSK (TLS, SASL/IAM)"
  referenced_security_group_id = aws_security_group.msk[0].id
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
}
