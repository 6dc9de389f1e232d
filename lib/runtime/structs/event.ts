/**
 * Events of the event stream (Nomad's `nomad/structs/event.go`): what a
 * state write published, by topic, with Nomad's type names.
 */
import type { Event as WireEvent } from "../../api/types/event";

/** The topics the included runtime publishes (Nomad's `Topic*` constants it has state for). */
export const EVENT_TOPICS = [
  "Job",
  "Evaluation",
  "Allocation",
  "Deployment",
  "Node",
  "NodePool",
  "ACLToken",
  "ACLPolicy",
  "ACLRole",
  "Variable",
  "Service",
] as const;

/** A topic of the event stream; `"*"` subscribes to every topic. */
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Nomad's event type names (`structs.Type*`) that the included runtime publishes. */
export const EventType = {
  /** A node registered (its first write). */
  NodeRegistration: "NodeRegistration",
  /** A node was removed (purge). */
  NodeDeregistration: "NodeDeregistration",
  /** A node's scheduling eligibility changed. */
  NodeEligibility: "NodeEligibility",
  /** A node's drain strategy was set, changed or cleared. */
  NodeDrain: "NodeDrain",
  /** Any other node update (status, heartbeat-driven changes, events). */
  NodeStreamEvent: "NodeStreamEvent",
  /** A deployment was created or changed status. */
  DeploymentStatusUpdate: "DeploymentStatusUpdate",
  /** A deployment's canaries were promoted. */
  DeploymentPromotion: "DeploymentPromotion",
  /** An allocation was placed by a plan. */
  PlanResult: "PlanResult",
  /** An allocation was updated (client status, desired status). */
  AllocationUpdated: "AllocationUpdated",
  /** An evaluation was created or updated. */
  EvaluationUpdated: "EvaluationUpdated",
  /** A job version was registered (or its status changed). */
  JobRegistered: "JobRegistered",
  /** A job was stopped or purged. */
  JobDeregistered: "JobDeregistered",
  /** A node pool was created or changed. */
  NodePoolUpserted: "NodePoolUpserted",
  /** A node pool was deleted. */
  NodePoolDeleted: "NodePoolDeleted",
  /** An ACL token was created or changed. */
  ACLTokenUpserted: "ACLTokenUpserted",
  /** An ACL token was deleted. */
  ACLTokenDeleted: "ACLTokenDeleted",
  /** An ACL policy was created or changed. */
  ACLPolicyUpserted: "ACLPolicyUpserted",
  /** An ACL policy was deleted. */
  ACLPolicyDeleted: "ACLPolicyDeleted",
  /** An ACL role was created or changed. */
  ACLRoleUpserted: "ACLRoleUpserted",
  /** An ACL role was deleted. */
  ACLRoleDeleted: "ACLRoleDeleted",
  /** A variable was written or deleted (Nomad names both so). */
  VariableUpdated: "VariableUpdated",
  /** A Nomad service registration was written (registered, or its address, port or tags changed). */
  ServiceRegistration: "ServiceRegistration",
  /** A Nomad service registration was removed (its allocation stopped, or a delete through the API). */
  ServiceDeregistration: "ServiceDeregistration",
} as const;

/** One event (Nomad's `structs.Event`), with a topic the runtime publishes. */
export interface StreamEvent extends Omit<WireEvent, "Topic"> {
  /** The topic, e.g. `"Job"`. */
  Topic: EventTopic;
}
