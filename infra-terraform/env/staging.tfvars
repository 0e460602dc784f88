# Staging: the production shape at a smaller size. domain_name, hosted_zone_id and image_tag are given on the
# command line (see README).
environment = "staging"
region      = "eu-west-1"

nat_gateway_count = 1

engine_instance_type            = "c7i.xlarge"
standby_in_placement_group      = false
journal_volume_type             = "gp3"
journal_volume_size_gib         = 100
journal_volume_iops             = 3000
journal_volume_throughput_mibps = 250

aurora_instance_class        = "db.r7g.large"
aurora_instance_count        = 2
aurora_backup_retention_days = 7

cache_node_type  = "cache.r7g.large"
cache_node_count = 2

enable_msk = false

journal_archive_lock_days = 7
snapshot_expiry_days      = 7
log_retention_days        = 30

deletion_protection = true
