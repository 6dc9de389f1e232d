/**
 * The constraints Nomad's job admission adds to a job at registration
 * (`jobImpliedConstraints` in nomad/job_endpoint_hooks.go), for the
 * features the runtime's clients fingerprint: the signals tasks need
 * (`${attr.os.signals}`), and Nomad native service discovery and its checks
 * (`${attr.nomad.service_discovery}`, `${attr.nomad.version}`). The
 * constraints for Vault, Consul and CNI plugins are not added: the runtime
 * has none of them (lib/runtime/README.md).
 */

/** A constraint in the job's JSON. */
interface ConstraintRecord {
  LTarget: string;
  RTarget: string;
  Operand: string;
}

type Obj = Record<string, unknown>;

const NATIVE_SERVICE_DISCOVERY: ConstraintRecord = { LTarget: "${attr.nomad.service_discovery}", RTarget: "true", Operand: "=" };
const NATIVE_SERVICE_DISCOVERY_CHECKS: ConstraintRecord = { LTarget: "${attr.nomad.version}", RTarget: ">= 1.4.0", Operand: "semver" };

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Obj[]) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** `Job.RequiredSignals` for one group: the kill signal, and the change signals of Vault blocks and templates in signal mode; sorted, unique. */
function groupSignals(tg: Obj): string[] {
  const out = new Set<string>();
  for (const task of list(tg.Tasks)) {
    const vault = task.Vault as Obj | null | undefined;
    if (vault && str(vault.ChangeMode) === "signal") out.add(str(vault.ChangeSignal));
    if (str(task.KillSignal) !== "") out.add(str(task.KillSignal));
    for (const t of list(task.Templates)) if (str(t.ChangeMode) === "signal") out.add(str(t.ChangeSignal));
  }
  return [...out].sort();
}

/** `requiresNativeServiceDiscovery` for one group: whether it has Nomad-provider services, and whether any has checks. */
function nativeServiceDiscovery(tg: Obj): { basic: boolean; checks: boolean } {
  let basic = false;
  let checks = false;
  for (const services of [tg.Services, ...list(tg.Tasks).map((t) => t.Services)]) {
    for (const s of list(services)) {
      if (str(s.Provider) !== "nomad") continue;
      basic = true;
      if (list(s.Checks).length > 0) checks = true;
    }
  }
  return { basic, checks };
}

/** `mutateConstraint` with the full matcher: appends the constraint unless an equal one is there. */
function addConstraint(tg: Obj, c: ConstraintRecord): void {
  const existing = list(tg.Constraints);
  if (existing.some((x) => str(x.LTarget) === c.LTarget && str(x.RTarget) === c.RTarget && str(x.Operand) === c.Operand)) return;
  tg.Constraints = [...existing, { ...c }];
}

/** Adds the implied constraints to each group of a canonical job (in place), in Nomad's order: signals, then native service discovery and its checks. */
export function addImpliedConstraints(job: Obj): void {
  for (const tg of list(job.TaskGroups)) {
    const signals = groupSignals(tg);
    if (signals.length > 0) addConstraint(tg, { LTarget: "${attr.os.signals}", RTarget: signals.join(","), Operand: "set_contains" });
    const sd = nativeServiceDiscovery(tg);
    if (sd.basic) addConstraint(tg, NATIVE_SERVICE_DISCOVERY);
    if (sd.checks) addConstraint(tg, NATIVE_SERVICE_DISCOVERY_CHECKS);
  }
}
