# The platform pieces around an application, as teams write them: a customer managed policy and an
# instance profile, deploy users with access keys, inline and attached policies and a group with
# its own policies, ECS's service-linked role,
# registry-wide ECR settings, log streams, a composite alarm over two metric alarms, an SNS topic
# with its policy and an HTTP subscription, a SecureString parameter under SSM's default key, an
# HTTP Cloud Map namespace, imported certificates on an HTTPS listener, a network load balancer,
# ECS account defaults and tags, and a secret rotated by the team's own function (on minato an ECS
# task definition, as there is no Lambda).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "endpoint" { type = string }
variable "subscriber_url" { type = string }
variable "external_cluster" { type = string }
variable "team" {
  description = "the team that owns the platform: in tags, descriptions and paths"
  type        = string
  default     = "platform-team"
}
variable "deploy_key_status" {
  type    = string
  default = "Active"
}
variable "container_insights" {
  type    = string
  default = "enabled"
}
variable "tcp_healthy_threshold" {
  type    = number
  default = 3
}
variable "raw_events" {
  description = "whether the hook gets bare messages rather than SNS's JSON envelope"
  type        = bool
  default     = true
}
variable "alarm_threshold" {
  type    = number
  default = 80
}
variable "deploy_users" {
  type    = set(string)
  default = ["deployer", "ci"]
}
variable "log_streams" {
  type    = list(string)
  default = ["ingest", "audit"]
}
variable "rotation_days" {
  type    = number
  default = 30
}
variable "api_token" {
  type      = string
  sensitive = true
  default   = "s3cr3t-token"
}

provider "aws" {
  region                  = "us-east-1"
  access_key              = "test"
  secret_key              = "test"
  skip_metadata_api_check = true
  endpoints {
    ecs              = var.endpoint
    ecr              = var.endpoint
    cloudwatchlogs   = var.endpoint
    cloudwatch       = var.endpoint
    ssm              = var.endpoint
    sts              = var.endpoint
    iam              = var.endpoint
    elbv2            = var.endpoint
    acm              = var.endpoint
    servicediscovery = var.endpoint
    sns              = var.endpoint
    secretsmanager   = var.endpoint
  }
  default_tags {
    tags = { project = "platform" }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  name       = "platform"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  vpc_id     = "vpc-0c0ffee0000000001"
  subnets    = ["subnet-0c0ffee0000000011", "subnet-0c0ffee0000000012"]
  certs      = toset(["primary", "extra"])
}

# IAM: a customer managed policy attached to a role, the role's instance profile, deploy users and
# their group.

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "reader" {
  statement {
    sid       = "ReadParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${data.aws_partition.current.partition}:ssm:${local.region}:${local.account_id}:parameter/${local.name}/${var.team}/*"]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }
}

resource "aws_iam_policy" "reader" {
  name        = "${local.name}-reader"
  path        = "/${local.name}/"
  description = "reads the platform's parameters and writes its logs"
  policy      = data.aws_iam_policy_document.reader.json
  tags        = { scope = "read" }
}

resource "aws_iam_role" "node" {
  name               = "${local.name}-node"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy_attachment" "node_reader" {
  role       = aws_iam_role.node.name
  policy_arn = aws_iam_policy.reader.arn
}

resource "aws_iam_instance_profile" "node" {
  name = "${local.name}-node"
  role = aws_iam_role.node.name
  tags = { owner = var.team }
}

resource "aws_iam_user" "deploy" {
  for_each = var.deploy_users
  name     = "${local.name}-${each.key}"
  path     = "/deploy/"
  tags     = { role = each.key, owner = var.team }
}

resource "aws_iam_access_key" "deploy" {
  for_each = aws_iam_user.deploy
  user     = each.value.name
  status   = var.deploy_key_status
}

resource "aws_iam_user_policy" "deploy" {
  for_each = aws_iam_user.deploy
  name     = "deploy"
  user     = each.value.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecs:UpdateService", "ecs:DescribeServices", "ecr:GetAuthorizationToken"]
      Resource = "*"
      Condition = {
        StringEquals = { "aws:ResourceTag/owner" = var.team }
      }
    }]
  })
}

resource "aws_iam_user_policy_attachment" "deploy_reader" {
  for_each   = aws_iam_user.deploy
  user       = each.value.name
  policy_arn = aws_iam_policy.reader.arn
}

resource "aws_iam_group" "deployers" {
  name = "${local.name}-deployers"
  path = "/deploy/"
}

resource "aws_iam_group_policy" "deployers" {
  name  = "read-parameters"
  group = aws_iam_group.deployers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters"]
      Resource = "arn:${data.aws_partition.current.partition}:ssm:*:${local.account_id}:parameter/${local.name}/*"
    }]
  })
}

resource "aws_iam_group_policy_attachment" "deployers_ssm" {
  group      = aws_iam_group.deployers.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "deploy" {
  for_each = aws_iam_user.deploy
  user     = each.value.name
  groups   = [aws_iam_group.deployers.name]
}

resource "aws_iam_service_linked_role" "ecs" {
  aws_service_name = "ecs.amazonaws.com"
  description      = "ECS for ${var.team}"
}

# ECR: registry-wide scanning and a pull-through cache rule.

resource "aws_ecr_registry_scanning_configuration" "main" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "${var.team}-*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_pull_through_cache_rule" "public" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}

# Logs and alarms.

resource "aws_cloudwatch_log_group" "app" {
  name              = "/${local.name}/app"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_stream" "app" {
  count          = length(var.log_streams)
  name           = var.log_streams[count.index]
  log_group_name = aws_cloudwatch_log_group.app.name
}

resource "aws_cloudwatch_metric_alarm" "usage" {
  for_each            = { cpu = "CPUUtilization", memory = "MemoryUtilization" }
  alarm_name          = "${local.name}-${each.key}-high"
  namespace           = "AWS/ECS"
  metric_name         = each.value
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  dimensions          = { ClusterName = aws_ecs_cluster.tools.name }
}

resource "aws_cloudwatch_composite_alarm" "saturated" {
  alarm_name        = "${local.name}-saturated"
  alarm_description = "both CPU and memory are high; ${var.team} is paged"
  alarm_rule        = join(" AND ", [for a in aws_cloudwatch_metric_alarm.usage : "ALARM(${jsonencode(a.alarm_name)})"])
  alarm_actions     = [aws_sns_topic.events.arn]
}

# SNS: a topic with its policy and an HTTP subscriber.

resource "aws_sns_topic" "events" {
  name = "${local.name}-events"
}

data "aws_iam_policy_document" "events" {
  statement {
    sid     = "AlarmsPublish"
    actions = ["sns:Publish"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    resources = [aws_sns_topic.events.arn]
  }
  statement {
    sid     = "AccountManages"
    actions = ["sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
    resources = [aws_sns_topic.events.arn]
  }
}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.events.json
}

resource "aws_sns_topic_subscription" "hook" {
  topic_arn              = aws_sns_topic.events.arn
  protocol               = "http"
  endpoint               = var.subscriber_url
  endpoint_auto_confirms = true
  raw_message_delivery   = var.raw_events
}

# SSM: a SecureString under SSM's default key.

resource "aws_ssm_parameter" "token" {
  name        = "/${local.name}/api-token"
  description = "token the deploy tooling presents"
  type        = "SecureString"
  value       = var.api_token
}

# Cloud Map: an HTTP namespace (no DNS).

resource "aws_service_discovery_http_namespace" "apps" {
  name        = "${local.name}-apps"
  description = "API-only discovery, run by ${var.team}"
}

# Certificates imported into ACM, one the HTTPS listener's default and one more beside it.

resource "aws_acm_certificate" "imported" {
  for_each         = local.certs
  private_key      = file("${path.module}/certs/${each.key}.key")
  certificate_body = file("${path.module}/certs/${each.key}.crt")
  tags             = { use = each.key, owner = var.team }
}

resource "aws_lb" "web" {
  name               = "${local.name}-web"
  internal           = true
  load_balancer_type = "application"
  subnets            = local.subnets
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.imported["primary"].arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "secured"
      status_code  = "200"
    }
  }
}

resource "aws_lb_listener_certificate" "extra" {
  listener_arn    = aws_lb_listener.https.arn
  certificate_arn = aws_acm_certificate.imported["extra"].arn
}

# A network load balancer in front of a TCP service.

resource "aws_lb" "tcp" {
  name               = "${local.name}-tcp"
  internal           = true
  load_balancer_type = "network"
  subnets            = local.subnets
}

resource "aws_lb_target_group" "tcp" {
  name        = "${local.name}-tcp"
  port        = 5432
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = local.vpc_id
  health_check {
    protocol            = "TCP"
    interval            = 30
    healthy_threshold   = var.tcp_healthy_threshold
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.tcp.arn
  port              = 5432
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tcp.arn
  }
}

# ECS: account defaults, and a tag on a cluster another tool made (aws_ecs_tag is for resources
# Terraform does not manage; on a managed one its tags would fight the resource's own).

resource "aws_ecs_account_setting_default" "insights" {
  name  = "containerInsights"
  value = var.container_insights
}

resource "aws_ecs_cluster" "tools" {
  name = "${local.name}-tools"
}

data "aws_ecs_cluster" "batch" {
  cluster_name = var.external_cluster
}

resource "aws_ecs_tag" "owner" {
  resource_arn = data.aws_ecs_cluster.batch.arn
  key          = "owner"
  value        = var.team
}

output "topic_arn" { value = aws_sns_topic.events.arn }
output "listener_arn" { value = aws_lb_listener.https.arn }
output "access_key_ids" { value = { for k, v in aws_iam_access_key.deploy : k => v.id } }

# Secrets Manager rotation: the rotation function is a task definition minato runs once per step.

resource "aws_ecs_task_definition" "rotator" {
  family                   = "${local.name}-rotator"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.node.arn
  container_definitions = jsonencode([{
    name      = "rotate"
    image     = "${local.account_id}.dkr.ecr.${local.region}.amazonaws.com/${local.name}/rotator:1"
    essential = true
    command   = ["sh", "/rotate.sh"]
  }])
}

resource "aws_secretsmanager_secret" "db" {
  name        = "${local.name}/db"
  description = "database credentials of ${var.team}"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "app", password = "first" })
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_ecs_task_definition.rotator.arn
  # Configured now, rotated on its schedule (the first run would need the function's image).
  rotate_immediately = false
  rotation_rules {
    automatically_after_days = var.rotation_days
  }
  depends_on = [aws_secretsmanager_secret_version.db]
}
