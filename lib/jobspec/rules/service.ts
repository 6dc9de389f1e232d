/**
 * Rules of services and checks (`nomad/structs/services.go`
 * (*Service).Validate, (*ServiceCheck).validate*, and
 * `nomad/structs/structs.go` validateServices / (*TaskGroup).validateServices).
 */
import { CHECK_TYPES } from "../constants";
import { NS_PER } from "../duration";
import type { Obj, Path, RuleContext } from "./context";
import { dur, items, num, q, str } from "./context";

/** services.go: a service name is an RFC 1123 label (alphanumerics and dashes, at most 63). */
const SERVICE_NAME = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/i;
/** services.go minCheckInterval / minCheckTimeout */
const MIN_CHECK = 1 * NS_PER.s;

/**
 * The services of a group (`task` undefined) or a task. `portLabels` are the
 * labels of the group's networks (and, for tasks, of the task's deprecated
 * networks).
 */
export function checkServices(ctx: RuleContext, services: unknown, path: Path, portLabels: Set<string>, task: Obj | undefined): void {
  const seen = new Map<string, number>();
  for (const [s, i] of items(services)) {
    const p = [...path, i];
    const name = str(s.Name) ?? "";
    // services.go (*Service).Validate: "Service name must be valid per RFC 1123 ..." (after interpolation; ${...} is allowed)
    if (name !== "" && !name.includes("${") && !SERVICE_NAME.test(name))
      ctx.error(
        [...p, "Name"],
        "service.name.invalid",
        `service name ${q(name)} must be valid per RFC 1123: alphanumerics and dashes, not starting or ending with a dash, at most 63 characters`,
      );
    const provider = str(s.Provider) || "consul";
    const key = `${provider}\u0000${name}\u0000${str(s.PortLabel) ?? ""}`;
    const prev = seen.get(key);
    // structs.go validateServices: "Service %s is duplicate"
    if (prev !== undefined)
      ctx.error(
        [...p, "Name"],
        "service.duplicate",
        `service ${q(name)} with port ${q(str(s.PortLabel) ?? "")} is a duplicate of service ${prev}`,
      );
    else seen.set(key, i);
    const port = str(s.PortLabel) ?? "";
    // structs.go (*TaskGroup).validateServices / validateServices: port labels must exist in the network
    if (port !== "" && !/^\d+$/.test(port) && !port.includes("${") && !portLabels.has(port) && s.Connect === undefined)
      ctx.error(
        [...p, "PortLabel"],
        "service.port.unknown",
        `port label ${q(port)} does not exist in the group's networks${portLabels.size ? ` (labels: ${[...portLabels].sort().join(", ")})` : ""}`,
      );
    if (!task && str(s.TaskName) === undefined) {
      /* group service without task: allowed */
    }
    for (const [c, j] of items(s.Checks))
      checkCheck(ctx, c, [...p, "Checks", j], provider, portLabels, !task && (str(s.TaskName) ?? "") === "");
  }
}

/**
 * One check (`(*ServiceCheck).validate`, validateNomad / validateConsul).
 * `needsTask`: the check belongs to a group service that names no task, so
 * a script check must name one (`validateScriptChecksInGroupServices`).
 */
function checkCheck(ctx: RuleContext, c: Obj, path: Path, provider: string, portLabels: Set<string>, needsTask: boolean): void {
  const type = str(c.Type) ?? "";
  if (type === "") {
    ctx.error([...path, "Type"], "check.type.required", `missing check type: ${CHECK_TYPES.join(", ")}`);
    return;
  }
  if (!(CHECK_TYPES as readonly string[]).includes(type)) {
    ctx.error([...path, "Type"], "check.type.invalid", `invalid check type ${q(type)}; use one of ${CHECK_TYPES.join(", ")}`);
    return;
  }
  // services.go validateNomad: "invalid check type (%s), must be one of http, tcp"
  if (provider === "nomad" && type !== "http" && type !== "tcp")
    ctx.error([...path, "Type"], "check.type.nomad", `Nomad service checks support only "http" and "tcp" (got ${q(type)})`);
  const checkPath = str(c.Path) ?? "";
  // services.go: "http type must have http path", "http type must have relative http path"
  if (type === "http" && checkPath === "") ctx.error([...path, "Path"], "check.http.path", "an http check must have a Path");
  else if (type === "http" && /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(checkPath))
    ctx.error(
      [...path, "Path"],
      "check.http.path.relative",
      `an http check's Path must be relative (got ${q(checkPath)}); the address comes from the service`,
    );
  if (type === "script" && (str(c.Command) ?? "") === "")
    ctx.error([...path, "Command"], "check.script.command", "a script check must have a Command");
  // structs.go validateScriptChecksInGroupServices: "Service [%s]->%s or Check %s must specify task parameter"
  if (type === "script" && needsTask && (str(c.TaskName) ?? "") === "")
    ctx.error(
      [...path, "TaskName"],
      "check.script.task",
      "a script check of a group service must name the task it runs in (the check's or the service's TaskName)",
    );
  const interval = num(c.Interval) ?? 0;
  const timeout = num(c.Timeout) ?? 0;
  // services.go: "missing required value interval", "interval (%v) cannot be lower than %v"
  if (interval === 0) ctx.error([...path, "Interval"], "check.interval.required", "missing check interval (nanoseconds, at least 1s)");
  else if (interval < MIN_CHECK)
    ctx.error([...path, "Interval"], "check.interval.min", `check interval (${dur(interval)}) cannot be lower than 1s`);
  // services.go: "missing required value timeout", "timeout (%v) is lower than required minimum timeout %v"
  if (timeout === 0) ctx.error([...path, "Timeout"], "check.timeout.required", "missing check timeout (nanoseconds, at least 1s)");
  else if (timeout < MIN_CHECK)
    ctx.error([...path, "Timeout"], "check.timeout.min", `check timeout (${dur(timeout)}) is lower than the minimum 1s`);
  const port = str(c.PortLabel) ?? "";
  if (port !== "" && !/^\d+$/.test(port) && !port.includes("${") && !portLabels.has(port) && c.Expose !== true)
    ctx.error([...path, "PortLabel"], "check.port.unknown", `port label ${q(port)} does not exist in the group's networks`);
  const cr = c.CheckRestart;
  if (cr && typeof cr === "object" && !Array.isArray(cr)) {
    const limit = num((cr as Obj).Limit);
    if (limit !== undefined && limit < 0)
      ctx.error([...path, "CheckRestart", "Limit"], "check-restart.limit", `limit must be greater than or equal to 0 (got ${limit})`);
  }
}
