# A Kubernetes platform on EKS whose workloads use a PostgreSQL database and an S3
# bucket of model artefacts.
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
  region = "eu-central-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

module "vpc" {
  source = "../modules/network"
  name   = "platform-${var.environment}"
  cidr   = "10.20.0.0/16"
  azs    = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

module "artefacts" {
  source = "../modules/bucket"
  bucket = "platform-${var.environment}-artefacts"
}

module "eks" {
  source       = "../modules/eks"
  cluster_name = "platform-${var.environment}"
  vpc_id       = module.vpc.vpc_id
  subnets      = module.vpc.private_subnets
  node_policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [module.artefacts.arn, "${module.artefacts.arn}/*"]
    }]
  })
}

module "postgres" {
  source                     = "../modules/postgres"
  identifier                 = "platform-${var.environment}"
  vpc_id                     = module.vpc.vpc_id
  subnets                    = module.vpc.private_subnets
  allowed_security_group_ids = [module.eks.node_security_group_id]
}

resource "aws_ecr_repository" "apps" {
  name                 = "platform-apps"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}
