/**
 * drover's task drivers: `mock_driver`, `raw_exec`, `exec` and `docker`,
 * behind one interface (`driver.ts`).
 */
import { DockerDriver, type DockerOptions } from "./docker";
import type { TaskDriver } from "./driver";
import { ExecDriver, type ExecOptions } from "./exec";
import { MockDriver } from "./mock";
import { RawExecDriver, type RawExecOptions } from "./raw-exec";

export * from "./driver";
export * from "./mock";
export * from "./raw-exec";
export * from "./exec";
export * from "./docker";

/** Driver settings of the agent config (`plugin "<name>" { config { ... } }`). */
export interface DriverPluginConfig {
  /** raw_exec: disabled unless `enabled = true` (or `--dev`). */
  raw_exec?: RawExecOptions;
  /** exec: on where the host allows it unless `enabled = false`. */
  exec?: ExecOptions;
  /** docker: on when an engine answers unless `enabled = false`; `endpoint` = `unix:///path`. */
  docker?: DockerOptions;
}

/** The drivers of an agent's local node, configured. */
export function defaultDrivers(config: DriverPluginConfig = {}): TaskDriver[] {
  return [
    new MockDriver(),
    new RawExecDriver(config.raw_exec ?? {}),
    new ExecDriver(config.exec ?? {}),
    new DockerDriver(config.docker ?? {}),
  ];
}
