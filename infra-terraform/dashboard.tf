# The AWS-side view of the venue: traffic and leadership at the ALB, host groups, and the projection stores.

locals {
  dashboard_widgets = [
    {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title   = "Healthy targets (1 = one leader; 0 = down; 2 = split brain)"
        region  = local.region
        stat    = "Maximum"
        period  = 60
        metrics = [["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", aws_lb_target_group.engine.arn_suffix, "LoadBalancer", aws_lb.public.arn_suffix]]
      }
    },
    {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title  = "ALB requests and errors"
        region = local.region
        stat   = "Sum"
        period = 60
        metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", aws_lb.public.arn_suffix],
          ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", aws_lb.public.arn_suffix],
          ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", aws_lb.public.arn_suffix],
          ["AWS/ApplicationELB", "RejectedConnectionCount", "LoadBalancer", aws_lb.public.arn_suffix],
        ]
      }
    },
    {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title  = "Engine hosts in service"
        region = local.region
        stat   = "Minimum"
        period = 60
        metrics = [
          ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", aws_autoscaling_group.engine_a.name],
          ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", aws_autoscaling_group.engine_b.name],
        ]
      }
    },
    {
      type = "metric", x = 12, y = 6, width = 12, height = 6
      properties = {
        title  = "Engine host CPU"
        region = local.region
        stat   = "Maximum"
        period = 60
        metrics = [
          ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", aws_autoscaling_group.engine_a.name],
          ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", aws_autoscaling_group.engine_b.name],
        ]
      }
    },
    {
      type = "metric", x = 0, y = 12, width = 12, height = 6
      properties = {
        title   = "Aurora CPU and replica lag"
        region  = local.region
        stat    = "Maximum"
        period  = 60
        metrics = [
          ["AWS/RDS", "CPUUtilization", "DBClusterIdentifier", aws_rds_cluster.projections.cluster_identifier],
          ["AWS/RDS", "AuroraReplicaLagMaximum", "DBClusterIdentifier", aws_rds_cluster.projections.cluster_identifier, { yAxis = "right" }],
        ]
      }
    },
    {
      type = "metric", x = 12, y = 12, width = 12, height = 6
      properties = {
        title   = "Valkey engine CPU"
        region  = local.region
        stat    = "Maximum"
        period  = 60
        metrics = [for member in local.cache_members : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", member]]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "venue" {
  dashboard_name = local.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
