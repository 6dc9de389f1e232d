/**
 * Service registrations of Nomad's built-in service discovery
 * (`structs.ServiceRegistration`): what a running allocation's `provider =
 * "nomad"` services register, with Nomad's IDs
 * (`_nomad-task-<alloc>-<task or group-<group>>-<service>-<port label>`)
 * and the address and port taken from the allocation's assigned ports.
 */
import type { Allocation, Node, ServiceRegistration } from "../structs";
import { jobGroups } from "../structs";

export type { ServiceRegistration } from "../structs";

/** A check of a service, as the job gives it (fields the check runner uses). */
export interface ServiceCheckSpec {
  Name?: string | null;
  Type?: string | null;
  Path?: string | null;
  Protocol?: string | null;
  Method?: string | null;
  PortLabel?: string | null;
  Interval?: number | null;
  Timeout?: number | null;
  Header?: Record<string, string[]> | null;
  Body?: string | null;
  OnUpdate?: string | null;
  TLSSkipVerify?: boolean | null;
}

/** A service of a group or task, as the job gives it. */
export interface ServiceSpec {
  Name?: string | null;
  PortLabel?: string | null;
  Provider?: string | null;
  Tags?: string[] | null;
  CanaryTags?: string[] | null;
  Address?: string | null;
  Checks?: ServiceCheckSpec[] | null;
}

/** A nomad-provider service of an allocation, with where it runs. */
export interface AllocService {
  /** The registration. */
  registration: Omit<ServiceRegistration, "CreateIndex" | "ModifyIndex">;
  /** The task ("" for a group service). */
  task: string;
  /** The task group. */
  group: string;
  /** The service block. */
  service: ServiceSpec;
}

/** Nomad's service registration ID (`serviceregistration.MakeAllocServiceID`). */
export function serviceRegistrationID(allocID: string, taskOrGroup: string, serviceName: string, portLabel: string): string {
  return `_nomad-task-${allocID}-${taskOrGroup}-${serviceName}-${portLabel}`;
}

/** The host address of an allocation's port (or of the node when the port has none). */
function hostAddress(a: Allocation, node: Node | undefined, label: string): { address: string; port: number } {
  const ports = a.AllocatedResources?.Shared?.Ports ?? [];
  const p = ports.find((x) => x.Label === label);
  const nodeIP = node?.Attributes?.["unique.network.ip-address"] || (node?.HTTPAddr ?? "").replace(/:\d+$/, "") || "127.0.0.1";
  if (p) return { address: p.HostIP || nodeIP, port: p.Value };
  if (/^\d+$/.test(label)) return { address: nodeIP, port: Number(label) };
  return { address: nodeIP, port: 0 };
}

/** The address a check of a service dials: the check's port label, or the service's. */
export function checkAddress(
  a: Allocation,
  node: Node | undefined,
  service: ServiceSpec,
  check: ServiceCheckSpec,
): { address: string; port: number } {
  const label = check.PortLabel || service.PortLabel || "";
  const base = hostAddress(a, node, label);
  if (service.Address && !check.PortLabel) return { address: service.Address, port: base.port };
  return base;
}

/** The nomad-provider services of an allocation (group services first, then its tasks'). */
export function allocServices(a: Allocation, node: Node | undefined): AllocService[] {
  const groups = jobGroups(a.Job);
  const tg = groups.find((g) => g.Name === a.TaskGroup);
  if (!tg) return [];
  const out: AllocService[] = [];
  const canary = Boolean(a.DeploymentStatus?.Canary);
  const add = (s: ServiceSpec, task: string) => {
    if (s.Provider !== "nomad" || !s.Name) return;
    const label = s.PortLabel ?? "";
    const { address, port } = hostAddress(a, node, label);
    const tags = canary && s.CanaryTags && s.CanaryTags.length ? s.CanaryTags : (s.Tags ?? []);
    out.push({
      task,
      group: tg.Name,
      service: s,
      registration: {
        ID: serviceRegistrationID(a.ID, task || `group-${tg.Name}`, s.Name, label),
        ServiceName: s.Name,
        Namespace: a.Namespace,
        NodeID: a.NodeID,
        Datacenter: node?.Datacenter ?? "",
        JobID: a.JobID,
        AllocID: a.ID,
        Tags: [...tags],
        Address: s.Address || address,
        Port: port,
      },
    });
  };
  for (const s of tg.Services ?? []) add(s, "");
  for (const t of tg.Tasks ?? []) for (const s of t.Services ?? []) add(s, t.Name ?? "");
  return out;
}
