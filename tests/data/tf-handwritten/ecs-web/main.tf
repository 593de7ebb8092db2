# A web application on ECS Fargate behind an application load balancer, with a
# PostgreSQL database and an S3 bucket for uploads.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "shop"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

module "vpc" {
  source = "../modules/network"
  name   = local.name
  azs    = local.azs
}

module "alb" {
  source          = "../modules/alb"
  name            = "${local.name}-web"
  vpc_id          = module.vpc.vpc_id
  subnets         = module.vpc.public_subnets
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
}

module "uploads" {
  source = "../modules/bucket"
  bucket = "${local.name}-uploads-eu-west-1"
}

module "api" {
  source                    = "../modules/ecs-service"
  name                      = "${local.name}-api"
  vpc_id                    = module.vpc.vpc_id
  subnets                   = module.vpc.private_subnets
  image                     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop-api:1.4.2"
  target_group_arn          = module.alb.target_group_arn
  ingress_security_group_id = module.alb.security_group_id
  task_policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = ["${module.uploads.arn}/*"]
    }]
  })
}

module "db" {
  source                     = "../modules/postgres"
  identifier                 = "${local.name}-db"
  vpc_id                     = module.vpc.vpc_id
  subnets                    = module.vpc.private_subnets
  allowed_security_group_ids = [module.api.security_group_id]
}

resource "aws_route53_zone" "main" {
  name = "shop.example.com"
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.shop.example.com"
  type    = "CNAME"
  ttl     = 300
  records = [module.alb.dns_name]
}
