-- The OMA appliance's own scheduler tables, written from the column lists in shared/reference/appliance-api.md §4–§5.
-- Test fixture only: on an appliance these tables already exist and the SDK never creates or alters them.
-- Types are this fixture's choice where the reference names only the field; defaults are the reference's.

CREATE TABLE replication_schedules (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  description TEXT NULL,
  cron_expression VARCHAR(255) NOT NULL,
  schedule_type ENUM('cron', 'chain') NOT NULL DEFAULT 'cron',
  chain_parent_schedule_id VARCHAR(64) NULL,
  chain_delay_minutes INT NULL,
  timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  replication_type ENUM('auto', 'full', 'incremental') NOT NULL DEFAULT 'auto',
  max_concurrent_jobs INT NOT NULL DEFAULT 1,
  retry_attempts INT NOT NULL DEFAULT 3,
  retry_delay_minutes INT NOT NULL DEFAULT 30,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  skip_if_running TINYINT(1) NOT NULL DEFAULT 1,
  created_by VARCHAR(255) NOT NULL DEFAULT 'system',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY ux_replication_schedules_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE vm_machine_groups (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  description TEXT NULL,
  schedule_id VARCHAR(64) NULL,
  max_concurrent_vms INT NOT NULL DEFAULT 5,
  priority INT NOT NULL DEFAULT 0,
  created_by VARCHAR(255) NOT NULL DEFAULT 'system',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY ux_vm_machine_groups_name (name),
  CONSTRAINT fk_vm_machine_groups_schedule FOREIGN KEY (schedule_id) REFERENCES replication_schedules (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE vm_replication_contexts (
  context_id VARCHAR(191) NOT NULL PRIMARY KEY,
  vm_name VARCHAR(255) NOT NULL,
  vmware_vm_id VARCHAR(191) NOT NULL,
  vm_path VARCHAR(1024) NOT NULL,
  vcenter_host VARCHAR(255) NOT NULL,
  datacenter VARCHAR(255) NOT NULL,
  current_status ENUM('discovered', 'replicating', 'ready_for_failover', 'failed', 'failed_over_test', 'failed_over_live', 'cleanup_required', 'completed')
    NOT NULL DEFAULT 'discovered',
  current_job_id VARCHAR(191) NULL,
  last_successful_job_id VARCHAR(191) NULL,
  last_status_change DATETIME(3) NULL,
  total_jobs_run INT NOT NULL DEFAULT 0,
  successful_jobs INT NOT NULL DEFAULT 0,
  failed_jobs INT NOT NULL DEFAULT 0,
  cpu_count INT NULL,
  memory_mb INT NULL,
  os_type VARCHAR(255) NULL,
  power_state VARCHAR(64) NULL,
  vm_tools_version VARCHAR(255) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  first_job_at DATETIME(3) NULL,
  last_job_at DATETIME(3) NULL,
  auto_added TINYINT(1) NOT NULL DEFAULT 0,
  scheduler_enabled TINYINT(1) NOT NULL DEFAULT 1,
  last_scheduled_job_id VARCHAR(191) NULL,
  next_scheduled_at DATETIME(3) NULL,
  ossea_config_id INT NULL,
  credential_id INT NULL,
  last_operation_summary JSON NULL,
  UNIQUE KEY ux_vm_replication_contexts_vmware (vmware_vm_id, vcenter_host),
  UNIQUE KEY ux_vm_replication_contexts_name (vm_name, vcenter_host)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE vm_group_memberships (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  group_id VARCHAR(64) NOT NULL,
  vm_context_id VARCHAR(191) NOT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  priority INT NOT NULL DEFAULT 0,
  schedule_override_id VARCHAR(64) NULL,
  added_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  added_by VARCHAR(255) NOT NULL DEFAULT 'system',
  UNIQUE KEY ux_vm_group_memberships_vm (group_id, vm_context_id),
  CONSTRAINT fk_vm_group_memberships_group FOREIGN KEY (group_id) REFERENCES vm_machine_groups (id) ON DELETE CASCADE,
  CONSTRAINT fk_vm_group_memberships_context FOREIGN KEY (vm_context_id) REFERENCES vm_replication_contexts (context_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE schedule_executions (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  schedule_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NULL,
  scheduled_at DATETIME(3) NOT NULL,
  started_at DATETIME(3) NULL,
  completed_at DATETIME(3) NULL,
  status ENUM('scheduled', 'running', 'completed', 'failed', 'skipped', 'cancelled') NOT NULL DEFAULT 'scheduled',
  vms_eligible INT NOT NULL DEFAULT 0,
  jobs_created INT NOT NULL DEFAULT 0,
  jobs_completed INT NOT NULL DEFAULT 0,
  jobs_failed INT NOT NULL DEFAULT 0,
  jobs_skipped INT NOT NULL DEFAULT 0,
  execution_duration_seconds INT NULL,
  error_message TEXT NULL,
  error_details JSON NULL,
  execution_details JSON NULL,
  triggered_by VARCHAR(255) NOT NULL DEFAULT 'scheduler',
  KEY ix_schedule_executions_schedule (schedule_id, scheduled_at),
  CONSTRAINT fk_schedule_executions_schedule FOREIGN KEY (schedule_id) REFERENCES replication_schedules (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The job rows, with the columns the simulator's job row has (the vm-context routes return them); the SDK reads only
-- id, status and completed_at, through vm_replication_contexts.last_successful_job_id.
CREATE TABLE replication_jobs (
  id VARCHAR(191) NOT NULL PRIMARY KEY,
  source_vm_id VARCHAR(191) NOT NULL DEFAULT '',
  source_vm_name VARCHAR(255) NOT NULL DEFAULT '',
  vm_context_id VARCHAR(191) NULL,
  replication_type VARCHAR(32) NOT NULL DEFAULT 'initial',
  status VARCHAR(32) NOT NULL DEFAULT 'pending',
  progress_percent DOUBLE NOT NULL DEFAULT 0,
  error_message TEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  started_at DATETIME(3) NULL,
  completed_at DATETIME(3) NULL,
  KEY ix_replication_jobs_context (vm_context_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
