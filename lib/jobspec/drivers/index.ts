/**
 * Schemas of the built-in task drivers' `config` blocks, from Nomad's driver
 * documentation, and the check that applies them to a job's tasks. Drivers
 * not listed here (plugins, `podman`, …) are not checked: their config
 * passes as given.
 */
export { DockerConfigSchema, DockerMountConfigSchema } from "./docker";
export { ExecConfigSchema, JavaConfigSchema, RawExecConfigSchema } from "./exec";
export { MockDriverConfigSchema } from "./mock";
export { QemuConfigSchema } from "./qemu";
export { DRIVER_CONFIG_SCHEMAS } from "./registry";
export { checkDriverConfig, checkJobDriverConfigs, checkedDrivers } from "./check";
