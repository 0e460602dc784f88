# Production. domain_name, hosted_zone_id and image_tag are given on the command line (see README).
environment = "prod"
region      = "eu-west-1"

nat_gateway_count = 3

# The standby shares the leader's cluster placement group: replication costs tens of microseconds instead of
# hundreds, at the price of sharing one AZ (see README, "Failover").
engine_instance_type       = "c7i.4xlarge"
standby_in_placement_group = true
journal_volume_type        = "io2"
journal_volume_size_gib    = 500
journal_volume_iops        = 16000

aurora_instance_class        = "db.r7g.xlarge"
aurora_instance_count        = 3
aurora_backup_retention_days = 35

cache_node_type  = "cache.r7g.xlarge"
cache_node_count = 3

enable_msk = true

journal_archive_lock_days = 30
snapshot_expiry_days      = 30
log_retention_days        = 365

deletion_protection = true
