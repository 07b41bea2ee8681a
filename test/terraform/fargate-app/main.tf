# A Fargate web application as teams write it: cluster with capacity providers, log group,
# secret with a policy, parameters, a repository with its policies, the task execution role with
# AWS's managed policy and an inline one, task definition and service.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "endpoint" { type = string }
variable "image" { type = string }
variable "app_version" {
  type    = string
  default = "1"
}
variable "desired_count" {
  type    = number
  default = 2
}

provider "aws" {
  region                  = "us-east-1"
  access_key              = "test"
  secret_key              = "test"
  skip_metadata_api_check = true
  endpoints {
    ecs            = var.endpoint
    ecr            = var.endpoint
    cloudwatchlogs = var.endpoint
    secretsmanager = var.endpoint
    ssm            = var.endpoint
    sts            = var.endpoint
    iam            = var.endpoint
  }
  default_tags {
    tags = { project = "shop" }
  }
}

locals {
  name = "shop-web"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_ecs_cluster" "main" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }
}

resource "aws_cloudwatch_log_group" "web" {
  name              = "/ecs/${local.name}"
  retention_in_days = 14
  tags              = { tier = "web" }
}

resource "aws_secretsmanager_secret" "db" {
  name                    = "${local.name}/db"
  description             = "database credentials"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "shop", password = "correct-horse" })
}

resource "aws_secretsmanager_secret_policy" "db" {
  secret_arn          = aws_secretsmanager_secret.db.arn
  block_public_policy = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TaskReadsIt"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name}-execution" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

resource "aws_ssm_parameter" "mode" {
  name  = "/${local.name}/mode"
  type  = "String"
  value = "production"
}

resource "aws_ssm_parameter" "api_key" {
  name        = "/${local.name}/api-key"
  description = "third-party API key"
  type        = "SecureString"
  value       = "k-123"
}

resource "aws_ecr_repository" "web" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = true
  image_scanning_configuration {
    scan_on_push = false
  }
}

resource "aws_ecr_lifecycle_policy" "web" {
  repository = aws_ecr_repository.web.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 20 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 20 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_ecr_repository_policy" "web" {
  repository = aws_ecr_repository.web.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Pull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}

resource "aws_iam_role" "execution" {
  name        = "${local.name}-execution"
  description = "Pulls the image, writes the logs and reads the secrets of ${local.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  name = "secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "ssm:GetParameters"]
      Resource = [aws_secretsmanager_secret.db.arn, aws_ssm_parameter.mode.arn, aws_ssm_parameter.api_key.arn]
    }]
  })
}

resource "aws_ecs_task_definition" "web" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "web"
    image        = var.image
    essential    = true
    command      = ["sh", "-c", "echo shop web $APP_VERSION starting; exec httpd -f -p 8080 -h /www"]
    portMappings = [{ containerPort = 8080, protocol = "tcp", name = "http" }]
    environment  = [{ name = "APP_VERSION", value = var.app_version }]
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" },
      { name = "MODE", valueFrom = aws_ssm_parameter.mode.arn },
      { name = "API_KEY", valueFrom = aws_ssm_parameter.api_key.name },
    ]
    healthCheck = {
      command  = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]
      interval = 5
      timeout  = 2
      retries  = 3
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.web.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "web"
      }
    }
  }])
  depends_on = [aws_secretsmanager_secret_version.db, aws_iam_role_policy_attachment.execution, aws_iam_role_policy.execution_secrets]
}

resource "aws_ecs_service" "web" {
  name                  = local.name
  cluster               = aws_ecs_cluster.main.id
  task_definition       = aws_ecs_task_definition.web.arn
  desired_count         = var.desired_count
  wait_for_steady_state = true
  propagate_tags        = "SERVICE"
  enable_ecs_managed_tags = true

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }

  network_configuration {
    # The default VPC's subnets in us-east-1a and b (EC2 derives their ids from the account and zone).
    subnets          = ["subnet-54a7a8138a6473a07", "subnet-6f50aceee63c972e4"]
    assign_public_ip = false
  }

  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags       = { tier = "web" }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

output "service_arn" { value = aws_ecs_service.web.id }
output "task_definition_arn" { value = aws_ecs_task_definition.web.arn }
output "secret_arn" { value = aws_secretsmanager_secret.db.arn }
