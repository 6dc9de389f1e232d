/**
 * The `config` block of Nomad's `docker` task driver, every key its
 * documentation lists (website/content/docs/drivers/docker.mdx; the spec is
 * `taskConfigSpec` in drivers/docker/config.go). `image` is required.
 */
import { z } from "zod";
import { hclBlock, hclBlockList, hclBool, hclDuration, hclMap, hclNumber, hclString, hclStringList } from "./hcl-types";

/** A `mount` block: bind, volume or tmpfs. */
export const DockerMountConfigSchema = z
  .object({
    type: z
      .enum(["bind", "volume", "tmpfs"], { error: 'must be one of "bind", "volume", "tmpfs"' })
      .optional()
      .describe('The mount type. Default "volume".'),
    target: hclString.optional().describe("The path in the container."),
    source: hclString.optional().describe("The host path (bind) or the volume name (volume)."),
    readonly: hclBool.optional().describe("Mount read-only. Default false."),
    bind_options: hclBlock(
      z.object({ propagation: hclString.optional().describe("Mount propagation, e.g. rshared.") }).strict(),
    ).optional(),
    tmpfs_options: hclBlock(
      z
        .object({ size: hclNumber.optional().describe("Size in bytes."), mode: hclNumber.optional().describe("File mode (octal).") })
        .strict(),
    ).optional(),
    volume_options: hclBlock(
      z
        .object({
          no_copy: hclBool.optional(),
          labels: hclMap(hclString).optional(),
          driver_config: hclBlock(z.object({ name: hclString.optional(), options: hclMap(hclString).optional() }).strict()).optional(),
        })
        .strict(),
    ).optional(),
  })
  .strict();

/** The docker driver's task config. */
export const DockerConfigSchema = z
  .object({
    image: hclString.describe("The image to run, e.g. redis:7 (required)."),
    advertise_ipv6_address: hclBool.optional().describe("Advertise the container's IPv6 address in services."),
    args: hclStringList.optional().describe("Arguments of the command."),
    auth: hclBlock(
      z
        .object({
          username: hclString.optional(),
          password: hclString.optional(),
          email: hclString.optional(),
          server_address: hclString.optional(),
        })
        .strict(),
    )
      .optional()
      .describe("Registry credentials."),
    auth_soft_fail: hclBool.optional().describe("Go on with a cached image when authentication fails."),
    cap_add: hclStringList.optional().describe("Linux capabilities to add."),
    cap_drop: hclStringList.optional().describe("Linux capabilities to drop."),
    cgroupns: hclString.optional().describe('The cgroup namespace mode: "host" or "private".'),
    command: hclString.optional().describe("The command run in the container."),
    container_exists_attempts: hclNumber.optional(),
    cpuset_cpus: hclString.optional().describe("CPUs the container may use, e.g. 0-2."),
    cpu_hard_limit: hclBool.optional().describe("Enforce the CPU reservation as a hard limit."),
    cpu_cfs_period: hclNumber.optional().describe("The CFS period in microseconds. Default 100000."),
    devices: hclBlockList(
      z
        .object({ host_path: hclString.optional(), container_path: hclString.optional(), cgroup_permissions: hclString.optional() })
        .strict(),
    ).optional(),
    dns_search_domains: hclStringList.optional(),
    dns_options: hclStringList.optional(),
    dns_servers: hclStringList.optional(),
    entrypoint: hclStringList.optional().describe("Overrides the image's ENTRYPOINT."),
    extra_hosts: hclStringList.optional().describe('Extra /etc/hosts entries, "host:ip".'),
    force_pull: hclBool.optional(),
    group_add: hclStringList.optional().describe("Additional groups of the container's user."),
    healthchecks: hclBlock(z.object({ disable: hclBool.optional() }).strict()).optional(),
    hostname: hclString.optional(),
    init: hclBool.optional(),
    interactive: hclBool.optional(),
    ipc_mode: hclString.optional(),
    ipv4_address: hclString.optional(),
    ipv6_address: hclString.optional(),
    isolation: hclString.optional().describe("Windows isolation: process or hyperv."),
    labels: hclMap(hclString).optional().describe("Container labels."),
    load: hclString.optional().describe("An image archive (from an artifact) to load instead of pulling."),
    logging: hclBlock(
      z
        .object({
          type: hclString.optional().describe("The logging driver, e.g. json-file, syslog."),
          driver: hclString.optional().describe("Same as type."),
          config: hclMap(hclString).optional().describe("Options of the logging driver."),
        })
        .strict(),
    ).optional(),
    mac_address: hclString.optional(),
    memory_hard_limit: hclNumber.optional().describe("Deprecated: use resources.memory_max."),
    mount: hclBlockList(DockerMountConfigSchema).optional().describe("Mounts (bind, volume, tmpfs)."),
    mounts: hclBlockList(DockerMountConfigSchema).optional().describe("Mounts in the pre-1.0 list syntax."),
    network_aliases: hclStringList.optional(),
    network_mode: hclString.optional().describe('Docker network mode, e.g. "host" or "bridge".'),
    oom_score_adj: hclNumber.optional(),
    pids_limit: hclNumber.optional(),
    pid_mode: hclString.optional(),
    ports: hclStringList.optional().describe("Labels of the group network's ports to publish."),
    port_map: hclMap(hclNumber).optional().describe("Deprecated: port label to container port (task-level networks)."),
    privileged: hclBool.optional(),
    image_pull_timeout: hclDuration.optional().describe('How long an image pull may take. Default "5m".'),
    readonly_rootfs: hclBool.optional(),
    runtime: hclString.optional().describe("The container runtime, e.g. runsc."),
    security_opt: hclStringList.optional(),
    shm_size: hclNumber.optional().describe("Size of /dev/shm in bytes."),
    storage_opt: hclMap(hclString).optional(),
    sysctl: hclMap(hclString).optional(),
    tty: hclBool.optional(),
    ulimit: hclMap(hclString).optional(),
    uts_mode: hclString.optional(),
    userns_mode: hclString.optional(),
    volumes: hclStringList.optional().describe('Bind mounts, "host/path:/container/path".'),
    volume_driver: hclString.optional(),
    work_dir: hclString.optional(),
  })
  .strict();
