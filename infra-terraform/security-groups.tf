# One security group per tier and one resource per rule, each with a description. Only the ALB accepts traffic
# from outside the VPC, and only on 443 and 80 (80 answers with a redirect).

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public ALB: HTTPS and WebSocket clients"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "engine" {
  name        = "${local.name}-engine"
  description = "Matching engine hosts (leader and hot standby)"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "endpoints" {
  name        = "${local.name}-endpoints"
  description = "Interface VPC endpoints for AWS APIs"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "aurora" {
  name        = "${local.name}-aurora"
  description = "Aurora PostgreSQL (event projections)"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "cache" {
  name        = "${local.name}-cache"
  description = "ElastiCache Valkey (hot state projection)"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "msk" {
  count = var.enable_msk ? 1 : 0

  name        = "${local.name}-msk"
  description = "MSK brokers (journal shipping)"
  vpc_id      = aws_vpc.main.id
}
