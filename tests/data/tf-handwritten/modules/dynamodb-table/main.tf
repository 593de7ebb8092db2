# An on-demand DynamoDB table with a string hash key.
variable "name" {
  type = string
}

variable "hash_key" {
  type    = string
  default = "pk"
}

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key

  attribute {
    name = var.hash_key
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

output "arn" {
  value = aws_dynamodb_table.this.arn
}
