/**
 * Nomad's fixed vocabularies: job types, constraint operands and the other
 * enumerations of the job model, with the Nomad source each comes from.
 */

/** Job types (`nomad/structs/structs.go` JobTypeService, JobTypeBatch, JobTypeSystem, JobTypeSysBatch). */
export const JOB_TYPES = ["service", "batch", "system", "sysbatch"] as const;
/** A job type. */
export type JobType = (typeof JOB_TYPES)[number];

/**
 * Affinity operands (`(*Affinity).Validate`: the constraint comparisons and
 * set/version/regexp operators, but not distinct_hosts, distinct_property,
 * is_set or is_not_set).
 */
export const AFFINITY_OPERANDS = [
  "=",
  "==",
  "is",
  "!=",
  "not",
  "<",
  "<=",
  ">",
  ">=",
  "regexp",
  "version",
  "semver",
  "set_contains",
  "set_contains_all",
  "set_contains_any",
] as const;

/**
 * Constraint operands (`nomad/structs/structs.go` ConstraintDistinctProperty ...
 * and `(*Constraint).Validate`; `=`, `==` and `is` are the same comparison,
 * as are `!=` and `not`): the affinity operands and the placement-only ones.
 */
export const CONSTRAINT_OPERANDS = [...AFFINITY_OPERANDS, "distinct_hosts", "distinct_property", "is_set", "is_not_set"] as const;
/** A constraint operand. */
export type ConstraintOperand = (typeof CONSTRAINT_OPERANDS)[number];

/** RestartPolicy modes (`structs.RestartPolicyModeDelay`, `RestartPolicyModeFail`). */
export const RESTART_MODES = ["delay", "fail"] as const;
/** ReschedulePolicy delay functions (`structs.RescheduleDelayFunctions`). */
export const RESCHEDULE_DELAY_FUNCTIONS = ["constant", "exponential", "fibonacci"] as const;
/** UpdateStrategy health checks (`structs.UpdateStrategyHealthCheck_*`). */
export const UPDATE_HEALTH_CHECKS = ["checks", "task_states", "manual"] as const;
/** MigrateStrategy health checks (`(*MigrateStrategy).Validate`: no "manual"). */
export const MIGRATE_HEALTH_CHECKS = ["checks", "task_states"] as const;
/** Template change modes (`structs.TemplateChangeMode*`). */
export const TEMPLATE_CHANGE_MODES = ["noop", "signal", "restart", "script"] as const;
/** Vault change modes (`structs.VaultChangeMode*`). */
export const VAULT_CHANGE_MODES = ["noop", "signal", "restart"] as const;
/** Workload identity change modes (`structs.WIChangeMode*`). */
export const IDENTITY_CHANGE_MODES = ["noop", "signal", "restart"] as const;
/** Parameterized payload requirements (`structs.DispatchPayload*`). */
export const DISPATCH_PAYLOAD_MODES = ["optional", "required", "forbidden"] as const;
/** Lifecycle hooks (`structs.TaskLifecycleHook*`). */
export const LIFECYCLE_HOOKS = ["prestart", "poststart", "poststop"] as const;
/** Service address modes (`structs.AddressMode*`). */
export const SERVICE_ADDRESS_MODES = ["auto", "host", "driver", "alloc"] as const;
/** Check address modes (`(*ServiceCheck).validate`: no "auto"; "" means host). */
export const CHECK_ADDRESS_MODES = ["host", "driver", "alloc"] as const;
/** Service and check OnUpdate values (`structs.OnUpdate*`). */
export const ON_UPDATE_VALUES = ["require_healthy", "ignore_warnings", "ignore"] as const;
/** Service providers (`structs.ServiceProviderConsul`, `ServiceProviderNomad`). */
export const SERVICE_PROVIDERS = ["consul", "nomad"] as const;
/** Check types (`structs.ServiceCheck{HTTP,TCP,Script,GRPC}`; "" is not allowed). */
export const CHECK_TYPES = ["http", "tcp", "script", "grpc"] as const;
/** Check initial statuses (Consul's api.HealthPassing/Warning/Critical; "" for Consul's default). */
export const CHECK_INITIAL_STATUSES = ["passing", "warning", "critical"] as const;
/** Artifact getter modes (`structs.GetterMode*`). */
export const GETTER_MODES = ["any", "file", "dir"] as const;
/** Volume types the agent keeps (`ApiTgToStructsTG`; others are dropped). */
export const VOLUME_TYPES = ["host", "csi"] as const;
/** Volume mount propagation modes (`structs.VolumeMountPropagation*`). */
export const PROPAGATION_MODES = ["private", "host-to-task", "bidirectional"] as const;
/** Disconnect reconcile options (`structs.Reconcile*`). */
export const RECONCILE_OPTIONS = ["best_score", "keep_original", "keep_replacement", "longest_running"] as const;
/** Scaling policy types (`structs.ScalingPolicyType*`). */
export const SCALING_POLICY_TYPES = ["horizontal", "vertical_cpu", "vertical_mem"] as const;
/** CSI plugin types (`structs.CSIPluginType*`). */
export const CSI_PLUGIN_TYPES = ["node", "controller", "monolith"] as const;
/** NUMA affinities (`structs.NUMAAffinity*`). */
export const NUMA_AFFINITIES = ["none", "prefer", "require"] as const;
/** Multiregion on_failure values (`(*Multiregion).Validate` in Enterprise; "" means fail the region). */
export const MULTIREGION_ON_FAILURE = ["fail_all", "fail_local"] as const;
/** Job statuses on a read-back job (`structs.JobStatus*`). */
export const JOB_STATUSES = ["pending", "running", "dead"] as const;
