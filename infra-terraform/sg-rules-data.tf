# Rules of the VPC endpoints and the data stores: each accepts only the engine's security group.

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_engine" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "AWS API calls from engine hosts"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_ingress_rule" "aurora_from_engine" {
  security_group_id            = aws_security_group.aurora.id
  description                  = "PostgreSQL from engine hosts"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_engine" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Valkey (TLS) from engine hosts"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_ingress_rule" "msk_from_engine" {
  count = var.enable_msk ? 1 : 0

  security_group_id            = aws_security_group.msk[0].id
  description                  = "Kafka over TLS with IAM auth from engine hosts"
  referenced_security_group_id = aws_security_group.engine.id
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
}
