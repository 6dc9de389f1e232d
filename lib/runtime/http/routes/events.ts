/**
 * `GET /v1/event/stream` (Nomad's `command/agent/event_endpoint.go`): the
 * events of every state write as newline-delimited JSON frames
 * (`{"Index":…,"Events":[…]}`), with `{}` heartbeats while nothing happens.
 */
import type { ServerResponse } from "node:http";
import { badRequest } from "../../server/errors";
import type { EventSubscription } from "../../state";
import { EVENT_TOPICS, type StreamEvent } from "../../structs";
import { permissionDenied } from "../../server/acl-endpoint";
import { READ, type Route } from "../router";
import { ACL_TOKEN } from "../route-acl";

/** Topics only a management token may subscribe to, as in Nomad. */
const MANAGEMENT_TOPICS: ReadonlySet<string> = new Set(["NodePool", "ACLToken", "ACLPolicy", "ACLRole"]);

/** Nomad's heartbeat interval of the event stream: 10 s. */
const EVENT_HEARTBEAT_MS = 10_000;

/** Bytes a subscriber may have waiting unsent before it is dropped: 8 MiB. */
const EVENT_MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** The error frame's message when a slow subscriber is dropped (Nomad's `ErrSubscriptionClosed`). */
const SUBSCRIPTION_CLOSED = "subscription closed by server, client should resubscribe";

/** Settings of the event stream. */
export interface EventStreamSettings {
  /** Interval of `{}` heartbeats in ms (default 10 s, Nomad's). */
  heartbeatMs?: number;
  /** Bytes a subscriber may have unsent before it is dropped with an error frame (default 8 MiB). */
  maxPendingBytes?: number;
}

/** Parses `topic` parameters (`Job`, `Job:web`, `*`) as Nomad does; no parameter means every topic. */
function parseEventTopics(values: readonly string[]): Map<string, string[]> {
  const topics = new Map<string, string[]>();
  if (values.length === 0) return new Map([["*", ["*"]]]);
  for (const raw of values) {
    const parts = raw.split(":");
    if (parts.length > 2) throw badRequest(`Invalid topic query: error parsing topics: Invalid key value pair for topic, topic: ${raw}`);
    const [topic, key = "*"] = parts;
    if (topic !== "*" && !(EVENT_TOPICS as readonly string[]).includes(topic))
      throw badRequest(
        `Invalid topic query: topic "${topic}" is not published by this agent (it publishes ${EVENT_TOPICS.join(", ")} and "*")`,
      );
    topics.set(topic, [...(topics.get(topic) ?? []), key]);
  }
  return topics;
}

/** The event stream's routes. */
export function eventRoutes(settings: EventStreamSettings = {}): Route[] {
  const heartbeatMs = settings.heartbeatMs ?? EVENT_HEARTBEAT_MS;
  const maxPending = settings.maxPendingBytes ?? EVENT_MAX_PENDING_BYTES;
  return [
    {
      methods: READ,
      pattern: "/v1/event/stream",
      // Any token: each event is sent only when the token may read it (read-job in its namespace; node:read for nodes).
      acl: ACL_TOKEN,
      handler: (ctx) => {
        const indexText = ctx.query.get("index") ?? "0";
        if (!/^\d+$/.test(indexText)) throw badRequest(`Unable to parse index: strconv.Atoi: parsing "${indexText}": invalid syntax`);
        const index = Number(indexText);
        const topics = parseEventTopics(ctx.query.getAll("topic"));
        const namespace = ctx.options.namespace;
        const broker = ctx.server.store.events;
        const acl = ctx.acl;
        // Nomad's validateNsOp: node pool and ACL topics need a management token (their events cannot be filtered
        // per object), the Variable topic some variable capability in the namespace.
        for (const topic of topics.keys()) {
          if (MANAGEMENT_TOPICS.has(topic) && !acl.management) throw permissionDenied();
          if (topic === "Variable" && namespace !== "*" && !acl.allowVariableSearch(namespace)) throw permissionDenied();
        }
        const allow = (e: StreamEvent) => {
          if (MANAGEMENT_TOPICS.has(e.Topic)) return acl.management;
          if (e.Topic === "Variable") return acl.allowVariableOperation(e.Namespace, e.Key, "list");
          return e.Namespace === "" ? acl.allow("node", "read") : acl.allowNamespaceOperation(e.Namespace, "read-job");
        };
        return {
          body: null,
          stream: async (res: ServerResponse, req) => {
            res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
            res.flushHeaders?.();
            await new Promise<void>((resolve) => {
              let done = false;
              const live: { sub?: EventSubscription } = {};
              const finish = () => {
                if (done) return;
                done = true;
                live.sub?.close();
                clearInterval(heartbeat);
                req.off("close", finish);
                res.off("close", finish);
                if (!res.destroyed && !res.writableEnded) res.end();
                resolve();
              };
              const send = (line: string) => {
                if (done || res.destroyed) return finish();
                if (res.writableLength > maxPending) {
                  res.write(`${JSON.stringify({ Error: SUBSCRIPTION_CLOSED })}\n`);
                  return finish();
                }
                res.write(`${line}\n`);
              };
              const heartbeat = setInterval(() => send("{}"), heartbeatMs);
              heartbeat.unref?.();
              req.on("close", finish);
              res.on("close", finish);
              // Ended by the server (a snapshot restore replaced the state): an error frame, as for a slow subscriber.
              const closedByServer = () => {
                if (!done && !res.destroyed) res.write(`${JSON.stringify({ Error: SUBSCRIPTION_CLOSED })}\n`);
                finish();
              };
              live.sub = broker.subscribe({ topics, namespace, index, allow }, send, closedByServer);
              if (done) live.sub.close();
            });
          },
        };
      },
    },
  ];
}
