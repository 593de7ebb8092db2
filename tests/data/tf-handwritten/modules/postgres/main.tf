# A PostgreSQL instance in private subnets, reachable on 5432 from the security groups
# the caller names.
variable "identifier" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnets" {
  type = list(string)
}

variable "allowed_security_group_ids" {
  type = list(string)
}

variable "multi_az" {
  type    = bool
  default = true
}

resource "aws_db_subnet_group" "this" {
  name       = var.identifier
  subnet_ids = var.subnets
}

resource "aws_security_group" "db" {
  name   = "${var.identifier}-db"
  vpc_id = var.vpc_id
}

resource "aws_security_group_rule" "clients" {
  count                    = length(var.allowed_security_group_ids)
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  source_security_group_id = var.allowed_security_group_ids[count.index]
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
}

resource "aws_db_instance" "this" {
  identifier                  = var.identifier
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  storage_encrypted           = true
  multi_az                    = var.multi_az
  publicly_accessible         = false
  db_subnet_group_name        = aws_db_subnet_group.this.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  username                    = "app"
  manage_master_user_password = true
  skip_final_snapshot         = true
}

output "arn" {
  value = aws_db_instance.this.arn
}
