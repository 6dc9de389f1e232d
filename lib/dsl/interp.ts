/**
 * Runtime interpolations: values Nomad substitutes into task config, env,
 * templates and args when the task starts (`${NOMAD_META_date}`,
 * `${NOMAD_ALLOC_INDEX}`). Port-specific variables are on the port itself
 * (`http.envAddr`).
 */
export class Interp {
  /** The allocation's index within its group, 0 to count-1 (`${NOMAD_ALLOC_INDEX}`). */
  public static readonly allocIndex = "${NOMAD_ALLOC_INDEX}";
  /** The allocation ID (`${NOMAD_ALLOC_ID}`). */
  public static readonly allocId = "${NOMAD_ALLOC_ID}";
  /** The allocation name, `<job>.<group>[<index>]` (`${NOMAD_ALLOC_NAME}`). */
  public static readonly allocName = "${NOMAD_ALLOC_NAME}";
  /** The directory shared by all tasks of the allocation (`${NOMAD_ALLOC_DIR}`). */
  public static readonly allocDir = "${NOMAD_ALLOC_DIR}";
  /** The task's private local directory (`${NOMAD_TASK_DIR}`). */
  public static readonly taskDir = "${NOMAD_TASK_DIR}";
  /** The task's secrets directory, not readable by other tasks (`${NOMAD_SECRETS_DIR}`). */
  public static readonly secretsDir = "${NOMAD_SECRETS_DIR}";
  /** The job ID (`${NOMAD_JOB_ID}`). */
  public static readonly jobId = "${NOMAD_JOB_ID}";
  /** The job name (`${NOMAD_JOB_NAME}`). */
  public static readonly jobName = "${NOMAD_JOB_NAME}";
  /** The parent job's ID, for dispatched and periodic children (`${NOMAD_JOB_PARENT_ID}`). */
  public static readonly parentJobId = "${NOMAD_JOB_PARENT_ID}";
  /** The group name (`${NOMAD_GROUP_NAME}`). */
  public static readonly groupName = "${NOMAD_GROUP_NAME}";
  /** The task name (`${NOMAD_TASK_NAME}`). */
  public static readonly taskName = "${NOMAD_TASK_NAME}";
  /** The namespace (`${NOMAD_NAMESPACE}`). */
  public static readonly namespace = "${NOMAD_NAMESPACE}";
  /** The region (`${NOMAD_REGION}`). */
  public static readonly region = "${NOMAD_REGION}";
  /** The datacenter of the node (`${NOMAD_DC}`). */
  public static readonly datacenter = "${NOMAD_DC}";
  /** The task's CPU limit in MHz (`${NOMAD_CPU_LIMIT}`). */
  public static readonly cpuLimit = "${NOMAD_CPU_LIMIT}";
  /** The task's memory limit in MB (`${NOMAD_MEMORY_LIMIT}`). */
  public static readonly memoryLimit = "${NOMAD_MEMORY_LIMIT}";

  /** A job, group or task metadata value, or a dispatch meta value: `Interp.meta("date")` is `${NOMAD_META_date}`. */
  public static meta(key: string): string {
    return `\${NOMAD_META_${key}}`;
  }

  /** An environment variable of the task: `Interp.env("HOME")` is `${HOME}`. */
  public static env(name: string): string {
    return `\${${name}}`;
  }

  /** A node attribute, as a runtime value: `Interp.attr("kernel.name")` is `${attr.kernel.name}`. */
  public static attr(name: string): string {
    return `\${attr.${name}}`;
  }

  private constructor() {}
}
