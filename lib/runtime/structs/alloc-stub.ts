/**
 * An allocation's list stub (Nomad's `Allocation.Stub`): what the list
 * endpoints return per allocation, and what a plan's annotations list as the
 * allocations it would preempt.
 */
import type { Allocation, AllocationListStub } from "./allocation";

/** `structs.AllocListStub` as the API returns it (with the replacement links). */
export type AllocListStubResponse = AllocationListStub & { PreviousAllocation: string; NextAllocation: string };

/** An allocation's list stub. `withResources` keeps AllocatedResources (`?resources=true`), `taskStates` false drops them. */
export function allocListStub(a: Allocation, withResources = false, taskStates = true): AllocListStubResponse {
  return {
    ID: a.ID,
    EvalID: a.EvalID,
    Name: a.Name,
    Namespace: a.Namespace,
    NodeID: a.NodeID,
    NodeName: a.NodeName,
    JobID: a.JobID,
    JobType: a.Job.Type,
    JobVersion: a.Job.Version,
    TaskGroup: a.TaskGroup,
    AllocatedResources: withResources ? a.AllocatedResources : null,
    DesiredStatus: a.DesiredStatus,
    DesiredDescription: a.DesiredDescription,
    ClientStatus: a.ClientStatus,
    ClientDescription: a.ClientDescription,
    DesiredTransition: a.DesiredTransition,
    TaskStates: taskStates ? a.TaskStates : null,
    DeploymentStatus: a.DeploymentStatus,
    FollowupEvalID: a.FollowupEvalID,
    RescheduleTracker: a.RescheduleTracker,
    PreemptedAllocations: a.PreemptedAllocations ?? null,
    PreemptedByAllocation: a.PreemptedByAllocation ?? "",
    PreviousAllocation: a.PreviousAllocation,
    NextAllocation: a.NextAllocation,
    CreateIndex: a.CreateIndex,
    ModifyIndex: a.ModifyIndex,
    CreateTime: a.CreateTime,
    ModifyTime: a.ModifyTime,
  };
}
