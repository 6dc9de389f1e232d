/**
 * Client endpoint responses (`api/fs.go`, `api/allocations.go` stats and
 * checks, `api/nodes.go` host stats): an allocation's files, its resource
 * usage, the host's usage and the results of nomad service checks.
 */

/** One entry of an allocation directory, from a listing or a stat (`api.AllocFileInfo`). */
export interface AllocFileInfo {
  /** Base name. */
  Name: string;
  /** A directory. */
  IsDir: boolean;
  /** Size in bytes. */
  Size: number;
  /** Go's `FileMode.String()`, e.g. `-rw-r--r--` or `drwxr-xr-x`. */
  FileMode: string;
  /** RFC 3339 modification time. */
  ModTime: string;
  /** Detected content type (stat only). */
  ContentType?: string;
}

/** One frame of a framed stream (`api.StreamFrame`): Data is decoded from base64. */
export interface StreamFrame {
  /** Offset in `File` just after `Data`. */
  Offset: number;
  /** The bytes (empty for heartbeats and file events). */
  Data: Buffer;
  /** The file, relative to the allocation directory. */
  File: string;
  /** "file truncated" or "file deleted" when that happened. */
  FileEvent: string;
}

/** Memory usage (`api.MemoryStats`). */
export interface MemoryStats {
  RSS: number;
  Cache: number;
  Swap: number;
  MappedFile: number;
  Usage: number;
  MaxUsage: number;
  KernelUsage: number;
  KernelMaxUsage: number;
  /** What was measured; empty when nothing could be. */
  Measured: string[] | null;
}

/** CPU usage (`api.CpuStats`). */
export interface CpuStats {
  SystemMode: number;
  UserMode: number;
  TotalTicks: number;
  ThrottledPeriods: number;
  ThrottledTime: number;
  Percent: number;
  /** What was measured; empty when nothing could be. */
  Measured: string[] | null;
}

/** Usage of a task or allocation (`api.ResourceUsage`). */
export interface ResourceUsage {
  MemoryStats: MemoryStats;
  CpuStats: CpuStats;
  DeviceStats: unknown[] | null;
}

/** Usage of one task (`api.TaskResourceUsage`). */
export interface TaskResourceUsage {
  ResourceUsage: ResourceUsage;
  /** Unix nanoseconds. */
  Timestamp: number;
  /** Usage per pid of the task; null when no pid is known. */
  Pids: Record<string, ResourceUsage> | null;
}

/** Usage of an allocation and its tasks (`api.AllocResourceUsage`). */
export interface AllocResourceUsage {
  ResourceUsage: ResourceUsage;
  Tasks: Record<string, TaskResourceUsage>;
  /** Unix nanoseconds. */
  Timestamp: number;
}

/** Host usage of a client node (`api.HostStats`). */
export interface HostStats {
  Memory: { Total: number; Available: number; Used: number; Free: number } | null;
  CPU: { CPU: string; User: number; System: number; Idle: number; Total?: number }[] | null;
  DiskStats: Record<string, unknown>[] | null;
  AllocDirStats?: Record<string, unknown> | null;
  DeviceStats?: unknown[] | null;
  Uptime: number;
  CPUTicksConsumed: number;
  /** Unix nanoseconds. */
  Timestamp?: number;
}

/** The latest result of one nomad service check (`api.CheckQueryResult`). */
export interface CheckQueryResult {
  /** Check ID (`structs.NomadCheckID`). */
  ID: string;
  /** "healthiness" (affects health) or "readiness" (`on_update = "ignore"`). */
  Mode: "healthiness" | "readiness";
  /** "success", "failure" or "pending". */
  Status: "success" | "failure" | "pending";
  /** HTTP status code of an http check (left out when 0). */
  StatusCode?: number;
  /** What the check saw. */
  Output: string;
  /** Unix seconds of the result. */
  Timestamp: number;
  /** Task group. */
  Group: string;
  /** Task of a task service (left out for group services). */
  Task?: string;
  /** Service name. */
  Service: string;
  /** Check name. */
  Check: string;
}
