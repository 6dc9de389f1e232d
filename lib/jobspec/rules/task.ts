/**
 * Rules of tasks (`nomad/structs/structs.go` (*Task).Validate,
 * (*Resources).Validate, (*LogConfig).Validate, (*Template).Validate,
 * (*TaskArtifact).Validate, (*Vault).Validate, (*DispatchPayloadConfig).Validate,
 * (*TaskLifecycleConfig).Validate).
 */
import type { Obj, Path, RuleContext } from "./context";
import { dur, isObj, items, num, obj, q, staysInAllocDir, str } from "./context";
import { checkPlacement } from "./placement";
import { checkRestartPolicy } from "./policies";
import { checkServices } from "./service";

/** Minimums of `(*Resources).MeetsMinResources`. */
const MIN_CPU = 1;
const MIN_MEMORY_MB = 10;

/** Everything about one task. `c` is the canonicalized task, `raw` the task as written. */
export function checkTask(
  ctx: RuleContext,
  c: Obj,
  raw: Obj | undefined,
  path: Path,
  g: Obj,
  type: string,
  volumes: Set<string>,
  portLabels: Set<string>,
): void {
  const name = str(c.Name) ?? "";
  if (name === "") ctx.error([...path, "Name"], "task.name.required", "missing task name");
  else if (name === "alloc") ctx.error([...path, "Name"], "task.name.alloc", 'a task cannot be named "alloc"');
  else if (/[/\\]/.test(name)) ctx.error([...path, "Name"], "task.name.slash", "a task name cannot include slashes");
  else if (name.includes("\0")) ctx.error([...path, "Name"], "task.name.nul", "a task name cannot include null characters");
  if ((str(c.Driver) ?? "") === "")
    ctx.error([...path, "Driver"], "task.driver.required", 'missing task driver (e.g. "docker", "exec", "raw_exec")');

  const killTimeout = num(c.KillTimeout);
  const progress = num(obj(g.Update)?.ProgressDeadline);
  // structs.go (*Task).Validate: "KillTimout (%s) longer than the group's ProgressDeadline (%s)"
  if (killTimeout !== undefined && progress !== undefined && progress > 0 && killTimeout > progress)
    ctx.error(
      [...path, "KillTimeout"],
      "task.kill-timeout.progress-deadline",
      `KillTimeout (${dur(killTimeout)}) is longer than the group's ProgressDeadline (${dur(progress)})`,
    );

  const res = obj(c.Resources);
  if (res) checkResources(ctx, res, obj(raw?.Resources), [...path, "Resources"]);

  const log = obj(c.LogConfig);
  if (log) {
    const files = num(log.MaxFiles);
    const size = num(log.MaxFileSizeMB);
    if (files !== undefined && files < 1)
      ctx.error([...path, "LogConfig", "MaxFiles"], "log.max-files", `minimum number of files is 1; got ${files}`);
    if (size !== undefined && size < 1)
      ctx.error([...path, "LogConfig", "MaxFileSizeMB"], "log.max-file-size", `minimum file size is 1 MB; got ${size}`);
    const disk = num(obj(g.EphemeralDisk)?.SizeMB);
    // structs.go (*LogConfig).Validate: "log storage (%d MB) must be less than requested disk capacity (%d MB)"
    if (files !== undefined && size !== undefined && disk !== undefined && files >= 1 && size >= 1 && disk <= files * size)
      ctx.error(
        [...path, "LogConfig"],
        "log.disk",
        `log storage (${files * size} MB = MaxFiles × MaxFileSizeMB) must be less than the group's ephemeral disk (${disk} MB)`,
      );
  }

  checkPlacement(ctx, c, path, { taskLevel: true, system: type === "system", raw });

  if (raw && isObj(raw.RestartPolicy)) {
    const rp = obj(c.RestartPolicy);
    if (rp) checkRestartPolicy(ctx, rp, [...path, "RestartPolicy"]);
  }

  const lifecycle = obj(c.Lifecycle);
  if (lifecycle && (str(lifecycle.Hook) ?? "") === "")
    ctx.error(
      [...path, "Lifecycle", "Hook"],
      "lifecycle.hook.required",
      'no lifecycle hook provided: "prestart", "poststart" or "poststop"',
    );

  for (const [a, i] of items(c.Artifacts)) {
    const p = [...path, "Artifacts", i];
    if ((str(a.GetterSource) ?? "") === "")
      ctx.error([...p, "GetterSource"], "artifact.source.required", "artifact source must be specified");
    const dest = str(a.RelativeDest);
    if (dest !== undefined && !staysInAllocDir(dest))
      ctx.error([...p, "RelativeDest"], "artifact.destination.escapes", `destination ${q(dest)} escapes the allocation directory`);
  }

  const destinations = new Map<string, number>();
  for (const [t, i] of items(c.Templates)) checkTemplate(ctx, t, [...path, "Templates", i], i, destinations);

  const vault = obj(c.Vault);
  if (vault && vault.ChangeMode === "signal" && (str(vault.ChangeSignal) ?? "") === "")
    ctx.error([...path, "Vault", "ChangeSignal"], "vault.change-signal.required", 'a signal must be given when ChangeMode is "signal"');

  const dp = obj(c.DispatchPayload);
  const file = str(dp?.File);
  if (file !== undefined && file !== "" && !staysInAllocDir(`local/${file}`))
    ctx.error(
      [...path, "DispatchPayload", "File"],
      "dispatch-payload.file.escapes",
      `dispatch payload file ${q(file)} escapes the allocation directory`,
    );

  for (const [vm, i] of items(c.VolumeMounts)) {
    const v = str(vm.Volume) ?? "";
    // structs.go (*Task).Validate: "Volume Mount (%d) references undefined volume %s"
    if (v === "")
      ctx.error([...path, "VolumeMounts", i, "Volume"], "volume-mount.volume.required", "a volume mount must name a volume of the group");
    else if (!volumes.has(v))
      ctx.error(
        [...path, "VolumeMounts", i, "Volume"],
        "volume-mount.volume.undefined",
        `volume mount references undefined volume ${q(v)}; declare it in the group's Volumes`,
      );
    if ((str(vm.Destination) ?? "") === "")
      ctx.error([...path, "VolumeMounts", i, "Destination"], "volume-mount.destination.required", "a volume mount must have a Destination");
  }

  const csi = obj(c.CSIPluginConfig);
  if (csi) {
    if ((str(csi.ID) ?? "") === "") ctx.error([...path, "CSIPluginConfig", "ID"], "csi-plugin.id.required", "a CSI plugin must have an ID");
    if ((str(csi.Type) ?? "") === "")
      ctx.error(
        [...path, "CSIPluginConfig", "Type"],
        "csi-plugin.type.required",
        'a CSI plugin must have a Type: "node", "controller" or "monolith"',
      );
  }

  const taskPorts = new Set(portLabels);
  for (const [n] of items(res?.Networks))
    for (const [p] of [...items(n.ReservedPorts), ...items(n.DynamicPorts)]) if (str(p.Label)) taskPorts.add(str(p.Label)!);
  checkServices(ctx, c.Services, [...path, "Services"], taskPorts, c);

  uniqueNames(ctx, c.Secrets, [...path, "Secrets"], "secret");
  uniqueNames(ctx, c.Actions, [...path, "Actions"], "action");
  for (const [a, i] of items(c.Actions))
    if ((str(a.Command) ?? "") === "")
      ctx.error([...path, "Actions", i, "Command"], "action.command.required", "an action must have a Command");
}

function uniqueNames(ctx: RuleContext, list: unknown, path: Path, what: string): void {
  const seen = new Map<string, number>();
  for (const [o, i] of items(list)) {
    const n = str(o.Name) ?? "";
    if (n === "") ctx.error([...path, i, "Name"], `${what}.name.required`, `missing ${what} name`);
    else if (seen.has(n))
      ctx.error(
        [...path, i, "Name"],
        `${what}.name.duplicate`,
        `${what} ${q(n)} is defined more than once (first at index ${seen.get(n)})`,
      );
    else seen.set(n, i);
  }
}

function checkResources(ctx: RuleContext, r: Obj, raw: Obj | undefined, path: Path): void {
  const cpu = num(r.CPU);
  const cores = num(r.Cores) ?? 0;
  const mem = num(r.MemoryMB);
  const memMax = num(r.MemoryMaxMB) ?? 0;
  // structs.go (*Resources).Validate: "Task can only ask for 'cpu' or 'cores' resource, not both."
  if (cores > 0 && num(raw?.CPU) !== undefined && (num(raw?.CPU) ?? 0) > 0)
    ctx.error([...path, "Cores"], "resources.cpu-and-cores", "a task can ask for CPU or Cores, not both");
  if (cores < 0) ctx.error([...path, "Cores"], "resources.cores.negative", `cores (${cores}) cannot be negative`);
  // (*Resources).MeetsMinResources: "minimum CPU value is 1; got %d"
  if (cores === 0 && cpu !== undefined && cpu < MIN_CPU)
    ctx.error([...path, "CPU"], "resources.cpu.min", `minimum CPU value is ${MIN_CPU} MHz; got ${cpu}`);
  if (mem !== undefined && mem < MIN_MEMORY_MB)
    ctx.error([...path, "MemoryMB"], "resources.memory.min", `minimum MemoryMB value is ${MIN_MEMORY_MB}; got ${mem}`);
  // "MemoryMaxMB value (%d) should be larger than MemoryMB value (%d)"; -1 means no limit
  if (memMax !== 0 && memMax !== -1 && mem !== undefined && memMax < mem)
    ctx.error([...path, "MemoryMaxMB"], "resources.memory-max.min", `MemoryMaxMB (${memMax}) must be at least MemoryMB (${mem})`);
  const secrets = num(r.SecretsMB);
  if (secrets !== undefined && mem !== undefined && secrets > mem)
    ctx.error([...path, "SecretsMB"], "resources.secrets.memory", `SecretsMB (${secrets}) cannot be larger than MemoryMB (${mem})`);
  for (const [d, i] of items(r.Devices)) {
    if ((str(d.Name) ?? "") === "")
      ctx.error(
        [...path, "Devices", i, "Name"],
        "device.name.required",
        "device name must be given as one of: type, vendor/type, or vendor/type/name",
      );
  }
}

function checkTemplate(ctx: RuleContext, t: Obj, path: Path, index: number, destinations: Map<string, number>): void {
  const src = str(t.SourcePath) ?? "";
  const data = str(t.EmbeddedTmpl) ?? "";
  const dest = str(t.DestPath) ?? "";
  // structs.go (*Template).Validate
  if (src === "" && data === "")
    ctx.error([...path, "SourcePath"], "template.source.required", "a template needs a SourcePath or an EmbeddedTmpl");
  if (dest === "") ctx.error([...path, "DestPath"], "template.destination.required", "a template must have a DestPath");
  else {
    if (!staysInAllocDir(dest))
      ctx.error([...path, "DestPath"], "template.destination.escapes", `destination ${q(dest)} escapes the allocation directory`);
    const other = destinations.get(dest);
    // structs.go (*Task).Validate: "Template %d has same destination as %d"
    if (other !== undefined)
      ctx.error([...path, "DestPath"], "template.destination.duplicate", `template has the same destination as template ${other}`);
    else destinations.set(dest, index);
  }
  const mode = str(t.ChangeMode);
  if (mode === "signal") {
    if ((str(t.ChangeSignal) ?? "") === "")
      ctx.error([...path, "ChangeSignal"], "template.change-signal.required", 'a signal must be given when ChangeMode is "signal"');
    if (t.Envvars === true)
      ctx.error([...path, "Envvars"], "template.signal-envvars", "signals cannot be used with env var templates (Envvars)");
  }
  if (mode === "script") {
    const cs = obj(t.ChangeScript);
    if (!cs) ctx.error([...path, "ChangeScript"], "template.change-script.required", 'ChangeMode "script" needs a ChangeScript');
    else if ((str(cs.Command) ?? "") === "")
      ctx.error([...path, "ChangeScript", "Command"], "change-script.command.required", "a change script must have a Command");
  }
  const perms = str(t.Perms);
  // "Failed to parse %q as octal"
  if (perms !== undefined && perms !== "" && !/^[0-7]{1,4}$/.test(perms))
    ctx.error([...path, "Perms"], "template.perms", `failed to parse ${q(perms)} as octal file permissions (e.g. "0644")`);
  const wait = obj(t.Wait);
  const min = num(wait?.Min);
  const max = num(wait?.Max);
  if (min !== undefined && max !== undefined && max < min)
    ctx.error([...path, "Wait"], "template.wait", `wait Min (${dur(min)}) must not be greater than Max (${dur(max)})`);
}
