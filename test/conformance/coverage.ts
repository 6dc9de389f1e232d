/**
 * The Nomad test functions the conformance suite measures itself against:
 * every `func Test…` of the listed files of hashicorp/nomad (at the commit in
 * NOMAD_COMMIT), each either applicable (ported when some case of the suite
 * names it, else "not yet", optionally with what is missing) or not
 * applicable with its reason. `coverage.test.ts` checks this list against the
 * cases and the README; `npx tsx test/conformance/coverage.ts --write`
 * rewrites the README's table.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The hashicorp/nomad commit the lists and expected values were read at. */
export const NOMAD_COMMIT = "aa026cc99cfb74a77e519a1c1f0c78ba1b452705";

/** What is known of one Nomad test function. */
export interface NomadTest {
  /** Why the function does not apply to drover's runtime; absent when it applies. */
  na?: string;
  /** For an applicable function not ported yet: what stands in the way. */
  gap?: string;
}

/** One Nomad test file and its test functions. */
export interface NomadTestFile {
  /** Path in hashicorp/nomad. */
  file: string;
  /** Test functions by name. */
  tests: Record<string, NomadTest>;
}

/** Every Nomad test file the suite measures itself against. */
export const NOMAD_TEST_FILES: NomadTestFile[] = [
  {
    file: "helper/constraints/semver/constraints_test.go",
    tests: {
      TestNewConstraint: {},
      TestConstraintCheck: {},
      TestConstraintsString: {},
    },
  },
  {
    file: "scheduler/feasible/feasible_test.go",
    tests: {
      TestStaticIterator_Reset: {},
      TestStaticIterator_SetNodes: {},
      TestRandomIterator: {},
      TestSecretsChecker: { na: "secrets plugins (not in the runtime)" },
      TestHostVolumeChecker_Static: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestHostVolumeChecker_StaticSticky: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestHostVolumeChecker_StaticStickyMultiVolume: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestHostVolumeChecker_Dynamic: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestHostVolumeChecker_Sticky: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestDynamicHostVolumeIsAvailable: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestDynamicHostVolumeIsAvailable_PurgedJob: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
      TestCSIVolumeChecker: { na: "CSI volumes (the runtime has none)" },
      TestCSIVolumeChecker_PerAllocBlocking: { na: "CSI volumes (the runtime has none)" },
      TestNetworkChecker: {},
      TestNetworkChecker_bridge_upgrade_path: {},
      TestDriverChecker_DriverInfo: {},
      TestDriverChecker_Compatibility: {},
      Test_HealthChecks: {},
      TestConstraintChecker: {},
      TestResolveConstraintTarget: {},
      TestCheckConstraint: {},
      TestCheckOrder: {},
      TestCheckVersionConstraint: {},
      TestCheckSemverConstraint: {},
      TestCheckRegexpConstraint: {},
      TestDistinctHostsIterator_JobDistinctHosts: {},
      TestDistinctHostsIterator_JobDistinctHosts_Table: {},
      TestDistinctHostsIterator_JobDistinctHosts_InfeasibleCount: {},
      TestDistinctHostsIterator_TaskGroupDistinctHosts: {},
      TestDistinctPropertyIterator_JobDistinctProperty: {},
      TestDistinctPropertyIterator_JobDistinctProperty_Count: {},
      TestDistinctPropertyIterator_JobDistinctProperty_RemoveAndReplace: {},
      TestDistinctPropertyIterator_JobDistinctProperty_Infeasible: {},
      TestDistinctPropertyIterator_JobDistinctProperty_Infeasible_Count: {},
      TestDistinctPropertyIterator_TaskGroupDistinctProperty: {},
      TestFeasibilityWrapper_JobIneligible: {},
      TestFeasibilityWrapper_JobEscapes: {},
      TestFeasibilityWrapper_JobAndTg_Eligible: {},
      TestFeasibilityWrapper_JobEligible_TgIneligible: {},
      TestFeasibilityWrapper_JobEligible_TgEscaped: {},
      TestSetContainsAny: {},
      TestDeviceChecker: { gap: "devices are not fingerprinted or scheduled by the runtime" },
      TestCheckAttributeConstraint: { gap: "typed device attributes: devices are not scheduled by the runtime" },
      TestHostVolume_ProposedAllocMeetsClaim: { na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)" },
    },
  },
  {
    file: "scheduler/feasible/rank_test.go",
    tests: {
      TestFeasibleRankIterator: {},
      TestBinPackIterator_NoExistingAlloc: {},
      TestBinPackIterator_memoryMax: { gap: "memory oversubscription (memory_max) is not scheduled" },
      TestBinPackIterator_NoExistingAlloc_MixedReserve: {},
      TestBinPackIterator_Network_Success: {},
      TestBinPackIterator_Network_Failure: {},
      TestBinPackIterator_Network_NoCollision_Node: {},
      TestBinPackIterator_Network_NodeError: {},
      TestBinPackIterator_Network_PortCollision_Alloc: {},
      TestBinPackIterator_Network_Interpolation_Success: {},
      TestBinPackIterator_Host_Network_Interpolation_Absent_Value: {},
      TestBinPackIterator_Host_Network_Interpolation_Interface_Not_Exists: {},
      TestBinPackIterator_PlannedAlloc: {},
      TestBinPackIterator_ReservedCores: { gap: "reserved cores are not scheduled by the runtime" },
      TestBinPackIterator_ExistingAlloc: {},
      TestBinPackIterator_ExistingAlloc_PlannedEvict: {},
      TestBinPackIterator_Devices: { gap: "devices are not fingerprinted or scheduled by the runtime" },
      TestBinPackIterator_Device_Failure_With_Eviction: { gap: "devices are not fingerprinted or scheduled by the runtime" },
      TestBinPackIterator_Device_Preemption_MultipleDeviceRequests: { gap: "devices are not fingerprinted or scheduled by the runtime" },
      TestBinPackIterator_MaxAlloc: {},
      TestJobAntiAffinity_PlannedAlloc: {},
      TestNodeAntiAffinity_PenaltyNodes: {},
      TestScoreNormalizationIterator: {},
      TestNodeAffinityIterator: {},
    },
  },
  {
    file: "scheduler/feasible/spread_test.go",
    tests: {
      TestSpreadIterator_SingleAttribute: {},
      TestSpreadIterator_MultipleAttributes: {},
      TestSpreadIterator_EvenSpread: {},
      TestSpreadIterator_MaxPenalty: {},
      TestSpreadIterator_NoInfinity: {},
      Test_evenSpreadScoreBoost: {},
    },
  },
  {
    file: "scheduler/reconciler/reconcile_cluster_test.go",
    tests: {
      TestReconciler_Place_NoExisting: {},
      TestReconciler_Place_Existing: {},
      TestReconciler_ScaleDown_Partial: {},
      TestReconciler_ScaleDown_Zero: {},
      TestReconciler_ScaleDown_Zero_DuplicateNames: {},
      TestReconciler_Inplace: {},
      TestReconciler_Inplace_ScaleUp: {},
      TestReconciler_Inplace_ScaleDown: {},
      TestReconciler_Inplace_Rollback: {},
      TestReconciler_Destructive: {},
      TestReconciler_DestructiveMaxParallel: {},
      TestReconciler_Destructive_ScaleUp: {},
      TestReconciler_Destructive_ScaleDown: {},
      TestReconciler_LostNode: {},
      TestReconciler_LostNode_ScaleUp: {},
      TestReconciler_LostNode_ScaleDown: {},
      TestReconciler_DrainNode: {},
      TestReconciler_MigrateBatchAllocs: {},
      TestReconciler_MigrateDisablePlacementBatchAllocs: {},
      TestReconciler_MigrateDisablePlacementBatchAllocs_StillRunningAfterStop: {},
      TestReconciler_MigrateRescheduleBatchAllocs: {},
      TestReconciler_DrainNode_ScaleUp: {},
      TestReconciler_DrainNode_ScaleDown: {},
      TestReconciler_RemovedTG: {},
      TestReconciler_JobStopped: {},
      TestReconciler_JobStopped_TerminalAllocs: {},
      TestReconciler_MultiTG: {},
      TestReconciler_MultiTG_SingleUpdateBlock: {},
      TestReconciler_RescheduleLater_Batch: {},
      TestReconciler_RescheduleLaterWithBatchedEvals_Batch: {},
      TestReconciler_RescheduleNow_Batch: {},
      TestReconciler_RescheduleLater_Service: {},
      TestReconciler_Service_ClientStatusComplete: {},
      TestReconciler_Service_DesiredStop_ClientStatusComplete: {},
      TestReconciler_RescheduleNow_Service: {},
      TestReconciler_RescheduleNow_WithinAllowedTimeWindow: {},
      TestReconciler_RescheduleNow_EvalIDMatch: {},
      TestReconciler_RescheduleNow_Service_WithCanaries: {},
      TestReconciler_RescheduleNow_Service_Canaries: {},
      TestReconciler_RescheduleNow_Service_Canaries_Limit: {},
      TestReconciler_DontReschedule_PreviouslyRescheduled: {},
      TestReconciler_CancelDeployment_JobStop: {},
      TestReconciler_CancelDeployment_JobUpdate: {},
      TestReconciler_CreateDeployment_RollingUpgrade_Destructive: {},
      TestReconciler_CreateDeployment_RollingUpgrade_Inplace: {},
      TestReconciler_CreateDeployment_NewerCreateIndex: {},
      TestReconciler_DontCreateDeployment_NoChanges: {},
      TestReconciler_PausedOrFailedDeployment_NoMoreCanaries: {},
      TestReconciler_PausedOrFailedDeployment_NoMorePlacements: {},
      TestReconciler_PausedOrFailedDeployment_NoMoreDestructiveUpdates: {},
      TestReconciler_DrainNode_Canary: {},
      TestReconciler_LostNode_Canary: {},
      TestReconciler_StopOldCanaries: {},
      TestReconciler_NewCanaries: {},
      TestReconciler_NewCanaries_CountGreater: {},
      TestReconciler_NewCanaries_MultiTG: {},
      TestReconciler_NewCanaries_ScaleUp: {},
      TestReconciler_NewCanaries_ScaleDown: {},
      TestReconciler_NewCanaries_FillNames: {},
      TestReconciler_PromoteCanaries_Unblock: {},
      TestReconciler_PromoteCanaries_CanariesEqualCount: {},
      TestReconciler_DeploymentLimit_HealthAccounting: {},
      TestReconciler_TaintedNode_RollingUpgrade: {},
      TestReconciler_FailedDeployment_TaintedNodes: {},
      TestReconciler_CompleteDeployment: {},
      TestReconciler_MarkDeploymentComplete_FailedAllocations: {},
      TestReconciler_FailedDeployment_CancelCanaries: {},
      TestReconciler_FailedDeployment_NewJob: {},
      TestReconciler_MarkDeploymentComplete: {},
      TestReconciler_JobChange_ScaleUp_SecondEval: {},
      TestReconciler_RollingUpgrade_MissingAllocs: {},
      TestReconciler_Batch_Rerun: {},
      TestReconciler_FailedDeployment_DontReschedule: {},
      TestReconciler_DeploymentWithFailedAllocs_DontReschedule: {},
      TestReconciler_FailedDeployment_AutoRevert_CancelCanaries: {},
      TestReconciler_SuccessfulDeploymentWithFailedAllocs_Reschedule: {},
      TestReconciler_ForceReschedule_Service: {},
      TestReconciler_RescheduleNot_Service: {},
      TestReconciler_Disconnected_Client: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestReconciler_RescheduleNot_Batch: {},
      TestReconciler_Node_Disconnect_Updates_Alloc_To_Unknown: {
        gap: "disconnected clients (the disconnect block) are not in the runtime",
      },
      TestReconciler_Disconnect_UpdateJobAfterReconnect: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestReconciler_Client_Disconnect_Canaries: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestReconciler_ComputeDeploymentPaused: {},
      TestReconciler_ScaleDown_ClientTerminal_Batch: {},
      TestReconciler_ScaleDown_ClientTerminal_Service: {},
      TestReconciler_ScaleDown_ClientTerminal_Service_ActiveDeployment: {},
    },
  },
  {
    file: "scheduler/reconciler/reconcile_node_test.go",
    tests: {
      TestDiffSystemAllocsForNode_Sysbatch_terminal: {},
      TestDiffSystemAllocsForNode_Placements: {},
      TestDiffSystemAllocsForNode_Stops: {},
      TestDiffSystemAllocsForNode_IneligibleNode: {},
      TestDiffSystemAllocsForNode_DrainingNode: {},
      TestDiffSystemAllocsForNode_LostNode: {},
      TestDiffSystemAllocsForNode_DisconnectedNode: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestDiffSystemAllocs: {},
      TestNodeDeployments: {},
    },
  },
  {
    file: "scheduler/generic_sched_test.go",
    tests: {
      TestServiceSched_JobRegister: {},
      TestServiceSched_JobRegister_EphemeralDisk: {},
      TestServiceSched_JobRegister_StickyHostVolumes: {
        na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)",
      },
      TestServiceSched_JobRegister_StickyStaticHostVolume: {
        na: "host volumes are stored, not scheduled (lib/runtime/README: not implemented)",
      },
      TestServiceSched_JobRegister_DiskConstraints: {},
      TestServiceSched_JobRegister_DistinctHosts: {},
      TestServiceSched_JobRegister_DistinctProperty: {},
      TestServiceSched_JobRegister_DistinctProperty_TaskGroup: {},
      TestServiceSched_JobRegister_DistinctProperty_TaskGroup_Incr: {},
      TestServiceSched_Spread: {},
      TestServiceSched_Spread_NodeLimitForFeasibilityChecks: {},
      TestServiceSched_JobRegister_Datacenter_Downgrade: {},
      TestServiceSched_JobRegister_NodePool_Downgrade: {},
      TestServiceSched_EvenSpread: {},
      TestServiceSched_JobRegister_Annotate: {},
      TestServiceSched_JobRegister_CountZero: {},
      TestServiceSched_JobRegister_AllocFail: {},
      TestServiceSched_JobRegister_CreateBlockedEval: {},
      TestServiceSched_JobRegister_FeasibleAndInfeasibleTG: {},
      TestServiceSched_JobRegister_SchedulerAlgorithm: {},
      TestServiceSched_EvaluateMaxPlanEval: {},
      TestServiceSched_Plan_Partial_Progress: {},
      TestServiceSched_EvaluateBlockedEval: {},
      TestServiceSched_EvaluateBlockedEval_Finished: {},
      TestServiceSched_JobModify: {},
      TestServiceSched_JobModify_ExistingDuplicateAllocIndex: {},
      TestServiceSched_JobModify_ProposedDuplicateAllocIndex: {},
      TestServiceSched_JobModify_ExistingDuplicateAllocIndexNonDestructive: {},
      TestServiceSched_JobModify_Datacenters: {},
      TestServiceSched_JobModify_IncrCount_NodeLimit: {},
      TestServiceSched_JobModify_CountZero: {},
      TestServiceSched_JobModify_Rolling: {},
      TestServiceSched_JobModify_Rolling_FullNode: {},
      TestServiceSched_JobModify_Canaries: {},
      TestServiceSched_JobModify_InPlace: {},
      TestServiceSched_JobModify_InPlace08: {},
      TestServiceSched_JobModify_MaxRunDuration_InPlace: {},
      TestServiceSched_JobModify_DistinctProperty: {},
      TestServiceSched_JobModify_NodeReschedulePenalty: {},
      TestServiceSched_JobDeregister_Purged: {},
      TestServiceSched_JobDeregister_Stopped: {},
      TestServiceSched_NodeDown: {},
      TestServiceSched_StopOnClientAfter: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestServiceSched_NodeUpdate: {},
      TestServiceSched_NodeDrain: {},
      TestServiceSched_NodeDrain_Down: {},
      TestServiceSched_NodeDrain_Canaries: {},
      TestServiceSched_NodeDrain_Queued_Allocations: {},
      TestServiceSched_RetryLimit: {},
      TestServiceSched_RetryLimit_DeploymentIDCleared: {},
      TestServiceSched_Reschedule_OnceNow: {},
      TestServiceSched_Reschedule_Later: {},
      TestServiceSched_Reschedule_MultipleNow: {},
      TestServiceSched_BlockedReschedule: {},
      TestServiceSched_BlockedDisconnectReplace: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestServiceSched_Reschedule_PruneEvents: {},
      TestDeployment_FailedAllocs_Reschedule: {},
      TestBatchSched_Run_CompleteAlloc: {},
      TestBatchSched_Run_FailedAlloc: {},
      TestBatchSched_Run_LostAlloc: {},
      TestBatchSched_Run_FailedAllocQueuedAllocations: {},
      TestBatchSched_ReRun_SuccessfullyFinishedAlloc: {},
      TestBatchSched_JobModify_InPlace_Terminal: {},
      TestBatchSched_JobModify_Destructive_Terminal: {},
      TestBatchSched_NodeDrain_Running_OldJob: {},
      TestBatchSched_NodeDrain_Complete: {},
      TestBatchSched_ScaleDown_SameName: {},
      TestGenericSched_AllocFit_Lifecycle: {},
      TestGenericSched_AllocFit_MemoryOversubscription: { gap: "memory oversubscription (memory_max) is not scheduled" },
      TestGenericSched_ChainedAlloc: {},
      TestServiceSched_NodeDrain_Sticky: {},
      TestServiceSched_CancelDeployment_Stopped: {},
      TestServiceSched_CancelDeployment_NewerJob: {},
      Test_updateRescheduleTracker: {},
      TestServiceSched_Preemption: {},
      TestServiceSched_Migrate_NonCanary: {},
      TestServiceSched_Migrate_CanaryStatus: {},
      TestDowngradedJobForPlacement_PicksTheLatest: {},
      TestServiceSched_RunningWithNextAllocation: {},
      TestServiceSched_CSIVolumesPerAlloc: { na: "CSI volumes (the runtime has none)" },
      TestServiceSched_CSITopology: { na: "CSI volumes (the runtime has none)" },
      TestServiceSched_Client_Disconnect_Creates_Updates_and_Evals: {
        gap: "disconnected clients (the disconnect block) are not in the runtime",
      },
      TestServiceSched_ReservedCores_InPlace: { gap: "reserved cores are not scheduled by the runtime" },
      TestReconciler_RescheduleBadStates: {},
    },
  },
  {
    file: "scheduler/scheduler_system_test.go",
    tests: {
      TestSystemSched_JobRegister: {},
      TestSystemSched_JobRegister_StickyAllocs: {},
      TestSystemSched_JobRegister_EphemeralDiskConstraint: {},
      TestSystemSched_ExhaustResources: {},
      TestSystemSched_JobRegister_Annotate: {},
      TestSystemSched_JobRegister_AddNode: {},
      TestSystemSched_JobRegister_AllocFail: {},
      TestSystemSched_JobModify: {},
      TestSystemSched_JobModify_Rolling: {
        gap: "difference found, not fixed: system jobs update every node in one pass; Nomad updates max_parallel nodes per pass (see the README)",
      },
      TestSystemSched_JobModify_InPlace: {},
      TestSystemSched_JobModify_RemoveDC: {},
      TestSystemSched_JobDeregister_Purged: {},
      TestSystemSched_JobDeregister_Stopped: {},
      TestSystemSched_NodeDown: {},
      TestSystemSched_NodeDrain_Down: {},
      TestSystemSched_NodeDrain: {},
      TestSystemSched_NodeUpdate: {},
      TestSystemSched_RetryLimit: {},
      TestSystemSched_Queued_With_Constraints: {},
      TestSystemSched_JobConstraint_AddNode: {},
      TestSystemSched_JobConstraint_AllFiltered: {},
      TestSystemSched_JobConstraint_RunMultipleTimes: {},
      TestSystemSched_ExistingAllocNoNodes: {},
      TestSystemSched_ConstraintErrors: {},
      TestSystemSched_ChainedAlloc: {},
      TestSystemSched_PlanWithDrainedNode: {},
      TestSystemSched_QueuedAllocsMultTG: {},
      TestSystemSched_Preemption: {
        gap: "its allocations are sized by network bandwidth (MBits), which the runtime does not schedule; CPU, memory, disk and port preemption are covered",
      },
      TestSystemSched_canHandle: {},
      TestSystemSched_NodeDisconnected: { gap: "disconnected clients (the disconnect block) are not in the runtime" },
      TestSystemSched_CSITopology: { na: "CSI volumes (the runtime has none)" },
      TestEvictAndPlace: {},
      TestSystemSched_UpdateBlock: {},
      TestSystemSched_evictUnneededCanaries: {},
      TestSystemSched_NoOpEvalWithInfeasibleNodes: {},
      TestSystemSched_CanariesWithInfeasibleNodes: {},
      TestSystemSched_CanariesWithInfeasibleNodesLimit: {},
      TestSystemSched_NilDeploymentState: {},
    },
  },
  {
    file: "nomad/job_endpoint_hooks_test.go",
    tests: {
      Test_jobValidate_Validate: {},
      Test_jobValidate_Validate_consul_service: { na: "Consul service identities (lib/runtime/README: Consul not implemented)" },
      Test_jobValidate_Validate_vault: { na: "Vault identities (lib/runtime/README: Vault not implemented)" },
      Test_jobImpliedConstraints_Mutate: {},
      Test_jobCanonicalizer_Mutate: {},
      TestJob_submissionController: { gap: "job source submissions and job_max_source_size are not checked" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_connect_test.go",
    tests: {
      TestJobEndpointConnect_isSidecarForService: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectGuessTaskDriver: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_newConnectSidecarTask: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectHook: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectHook_IngressGateway_BridgeNetwork: {
        na: "Consul Connect (lib/runtime/README: Consul not implemented)",
      },
      TestJobEndpointConnect_groupConnectHook_IngressGateway_HostNetwork: {
        na: "Consul Connect (lib/runtime/README: Consul not implemented)",
      },
      TestJobEndpointConnect_groupConnectHook_IngressGateway_GuessPodman: {
        na: "Consul Connect (lib/runtime/README: Consul not implemented)",
      },
      TestJobEndpointConnect_groupConnectHook_IngressGateway_CustomTask: {
        na: "Consul Connect (lib/runtime/README: Consul not implemented)",
      },
      TestJobEndpointConnect_groupConnectHook_TerminatingGateway: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectHook_MeshGateway: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_ConnectInterpolation: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectSidecarValidate: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectUpstreamsValidate: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_getNamedTaskForNativeService: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_groupConnectGatewayValidate: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_newConnectGatewayTask_host: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_newConnectGatewayTask_bridge: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_hasGatewayTaskForService: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_gatewayProxyIsDefault: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_gatewayBindAddressesForBridge: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
      TestJobEndpointConnect_gatewayProxy: { na: "Consul Connect (lib/runtime/README: Consul not implemented)" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_expose_check_test.go",
    tests: {
      TestJobExposeCheckHook_Name: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_tgUsesExposeCheck: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_tgValidateUseOfBridgeMode: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_tgValidateUseOfCheckExpose: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_Validate: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_exposePathForCheck: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_containsExposePath: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_serviceExposeConfig: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_checkIsExposable: { na: "Consul Connect expose checks (Consul not implemented)" },
      TestJobExposeCheckHook_Mutate: { na: "Consul Connect expose checks (Consul not implemented)" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_implicit_identities_test.go",
    tests: {
      Test_jobImplicitIdentitiesHook_Mutate_consul_service: { na: "Consul / Vault integration (lib/runtime/README: not implemented)" },
      Test_jobImplicitIdentitiesHook_Mutate_consulTask: { na: "Consul / Vault integration (lib/runtime/README: not implemented)" },
      Test_jobImplicitIndentitiesHook_Mutate_vault: { na: "Consul / Vault integration (lib/runtime/README: not implemented)" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_consul_ce_test.go",
    tests: {
      TestJobEndpointHook_ConsulCE: { na: "Consul / Vault integration (lib/runtime/README: not implemented)" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_vault_ce_test.go",
    tests: {
      TestJobEndpointHook_VaultCE: { na: "Consul / Vault integration (lib/runtime/README: not implemented)" },
    },
  },
  {
    file: "nomad/job_endpoint_hook_numa_ce_test.go",
    tests: {
      Test_jobNumaHook_Validate: { na: "NUMA-aware core scheduling (not in the runtime)" },
      Test_jobNumaHook_Mutate: { na: "NUMA-aware core scheduling (not in the runtime)" },
    },
  },
];

/** One case of the suite, as found in its source: the Nomad test (or source function) it follows. */
export interface CaseRef {
  /** Nomad file the case follows. */
  file: string;
  /** Nomad test function (or source function) the case follows. */
  func: string;
  /** The suite file holding the case. */
  suite: string;
}

const CASE_REF = /\bnomad(?::\s*|\(\s*)"([^"]+)"/g;
const FILE_DECL = /\bconst NOMAD_FILE = "([^"]+)"/;

/**
 * Every case of the suite: each `nomad: "TestName"` or `nomad("TestName", …)`
 * (a test of the file's `NOMAD_FILE`), or the same with
 * `"path/file.go: Function"`, in the suite's `*.test.ts` files counts as one
 * case.
 */
export function findCases(dir: string = __dirname): CaseRef[] {
  const out: CaseRef[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".test.ts") || name === "coverage.test.ts") continue;
    const src = fs.readFileSync(path.join(dir, name), "utf8");
    const declared = FILE_DECL.exec(src)?.[1] ?? "";
    for (const m of src.matchAll(CASE_REF)) {
      const ref = m[1];
      const i = ref.indexOf(": ");
      if (i >= 0) out.push({ file: ref.slice(0, i), func: ref.slice(i + 2), suite: name });
      else out.push({ file: declared, func: ref, suite: name });
    }
  }
  return out;
}

/** Coverage of one Nomad test file. */
export interface FileCoverage {
  file: string;
  functions: number;
  notApplicable: number;
  applicable: number;
  ported: number;
  cases: number;
  rows: { func: string; status: string }[];
}

/** Coverage per listed Nomad test file, from the list and the cases found. */
export function coverage(cases: CaseRef[] = findCases()): FileCoverage[] {
  return NOMAD_TEST_FILES.map(({ file, tests }) => {
    const mine = cases.filter((c) => c.file === file);
    const rows: { func: string; status: string }[] = [];
    let na = 0;
    let ported = 0;
    for (const [func, t] of Object.entries(tests)) {
      const n = mine.filter((c) => c.func === func);
      if (t.na) {
        na++;
        rows.push({ func, status: `not applicable: ${t.na}` });
      } else if (n.length > 0) {
        ported++;
        const suites = [...new Set(n.map((c) => c.suite))].join(", ");
        rows.push({ func, status: `ported (${n.length} case${n.length === 1 ? "" : "s"}, ${suites})` });
      } else rows.push({ func, status: t.gap ? `not yet: ${t.gap}` : "not yet" });
    }
    const functions = Object.keys(tests).length;
    return { file, functions, notApplicable: na, applicable: functions - na, ported, cases: mine.length, rows };
  });
}

const BEGIN = "<!-- coverage:begin (generated by `npx tsx test/conformance/coverage.ts --write`) -->";
const END = "<!-- coverage:end -->";

/** The README's generated section. */
export function renderCoverage(cases: CaseRef[] = findCases()): string {
  const files = coverage(cases);
  const listed = new Set(NOMAD_TEST_FILES.map((f) => f.file));
  const others = cases.filter((c) => !listed.has(c.file));
  const total = files.reduce(
    (s, f) => ({
      functions: s.functions + f.functions,
      na: s.na + f.notApplicable,
      applicable: s.applicable + f.applicable,
      ported: s.ported + f.ported,
    }),
    { functions: 0, na: 0, applicable: 0, ported: 0 },
  );
  const pct = (a: number, b: number) => (b === 0 ? "–" : `${Math.round((100 * a) / b)}%`);
  const out: string[] = [BEGIN, ""];
  out.push(
    `Cases in the suite: **${cases.length}** (${cases.length - others.length} following the test functions below, ${others.length} following Nomad source functions).`,
    "",
  );
  out.push(
    "| Nomad test file | functions | not applicable | applicable | ported | ported / applicable | cases |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const f of files)
    out.push(
      `| \`${f.file}\` | ${f.functions} | ${f.notApplicable} | ${f.applicable} | ${f.ported} | ${f.ported} / ${f.applicable} (${pct(f.ported, f.applicable)}) | ${f.cases} |`,
    );
  out.push(
    `| **all** | ${total.functions} | ${total.na} | ${total.applicable} | ${total.ported} | **${total.ported} / ${total.applicable}** (${pct(total.ported, total.applicable)}) | ${cases.length - others.length} |`,
    "",
  );
  for (const f of files) {
    out.push(`### \`${f.file}\``, "");
    for (const r of f.rows) out.push(`- \`${r.func}\`: ${r.status}`);
    out.push("");
  }
  if (others.length) {
    out.push("### Cases following Nomad source functions", "");
    const byRef = new Map<string, CaseRef[]>();
    for (const c of others) byRef.set(`${c.file}: ${c.func}`, [...(byRef.get(`${c.file}: ${c.func}`) ?? []), c]);
    for (const [ref, cs] of byRef)
      out.push(`- \`${ref}\`: ${cs.length} case${cs.length === 1 ? "" : "s"} (${[...new Set(cs.map((c) => c.suite))].join(", ")})`);
    out.push("");
  }
  out.push(END);
  return out.join("\n");
}

/** The README with its generated section replaced by `section`. */
export function withCoverage(readme: string, section: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, a) + section + readme.slice(b + END.length);
}

/** The README's path. */
export const README = path.join(__dirname, "README.md");

if (require.main === module && process.argv.includes("--write")) {
  const current = fs.existsSync(README) ? fs.readFileSync(README, "utf8") : "";
  fs.writeFileSync(README, withCoverage(current, renderCoverage()));
  console.log(`wrote ${README}`);
}
