# A serverless API: an HTTP API in front of a function that keeps orders in DynamoDB
# and queues work for a second function.
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
  region = "us-east-1"
}

module "orders_table" {
  source = "../modules/dynamodb-table"
  name   = "orders"
}

module "jobs" {
  source = "../modules/queue"
  name   = "order-jobs"
}

module "api_fn" {
  source        = "../modules/lambda"
  function_name = "orders-api"
  image_uri     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.0.0"
  policy_statements = [
    { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], resources = [module.orders_table.arn] },
    { actions = ["sqs:SendMessage"], resources = [module.jobs.arn] },
  ]
}

module "worker_fn" {
  source        = "../modules/lambda"
  function_name = "orders-worker"
  image_uri     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders-worker:2.0.0"
  policy_statements = [
    { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], resources = [module.jobs.arn] },
    { actions = ["dynamodb:UpdateItem"], resources = [module.orders_table.arn] },
  ]
}

resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "api_fn" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.api_fn.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "orders" {
  for_each  = toset(["GET /orders/{id}", "POST /orders"])
  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.value
  target    = "integrations/${aws_apigatewayv2_integration.api_fn.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = module.api_fn.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = module.jobs.arn
  function_name    = module.worker_fn.arn
  batch_size       = 10
}
