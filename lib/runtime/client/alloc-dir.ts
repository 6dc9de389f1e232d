/**
 * Where an allocation's files live on a client node: Nomad's layout
 * (`client/allocdir`), so that paths users know from `nomad alloc fs`
 * and the `NOMAD_*_DIR` variables mean the same thing here.
 *
 * ```
 * <clientDir>/alloc/<allocID>/
 *   alloc/            shared by the tasks of the allocation (NOMAD_ALLOC_DIR)
 *     data/           kept across restarts of the allocation's tasks
 *     logs/           <task>.stdout.<n>, <task>.stderr.<n>
 *     tmp/
 *   <task>/           the task's working directory
 *     local/          NOMAD_TASK_DIR
 *     secrets/        NOMAD_SECRETS_DIR
 *     tmp/
 * ```
 *
 * This module only computes paths; creating and removing them is the
 * alloc runner's job.
 */
import * as path from "node:path";

/** Directory names inside an allocation directory, as Nomad names them. */
export const ALLOC_SHARED_DIR = "alloc";
/** Logs of every task of the allocation, under the shared dir. */
export const ALLOC_LOGS_DIR = "logs";
/** Per-task local files (`NOMAD_TASK_DIR`). */
export const TASK_LOCAL_DIR = "local";
/** Per-task secrets (`NOMAD_SECRETS_DIR`). */
export const TASK_SECRETS_DIR = "secrets";
/** Per-task scratch space. */
export const TASK_TMP_DIR = "tmp";

/** The standard output streams a task writes to its log files. */
export type LogStream = "stdout" | "stderr";

/** Paths of one allocation's directory tree. */
export class AllocDirLayout {
  /** The allocation's root directory. */
  readonly root: string;

  /**
   * @param clientDir the node's client state directory (`<data-dir>/client`)
   * @param allocID the allocation's ID
   */
  constructor(
    clientDir: string,
    readonly allocID: string,
  ) {
    if (!/^[A-Za-z0-9-]+$/.test(allocID)) throw new Error(`invalid allocation ID ${JSON.stringify(allocID)}`);
    this.root = path.join(clientDir, "alloc", allocID);
  }

  /** The directory shared by the allocation's tasks (`NOMAD_ALLOC_DIR`). */
  get sharedDir(): string {
    return path.join(this.root, ALLOC_SHARED_DIR);
  }

  /** Where task logs are written. */
  get logsDir(): string {
    return path.join(this.sharedDir, ALLOC_LOGS_DIR);
  }

  /** A task's working directory. */
  taskDir(task: string): string {
    return path.join(this.root, checkTaskName(task));
  }

  /** A task's `local/` directory (`NOMAD_TASK_DIR`). */
  taskLocalDir(task: string): string {
    return path.join(this.taskDir(task), TASK_LOCAL_DIR);
  }

  /** A task's `secrets/` directory (`NOMAD_SECRETS_DIR`). */
  taskSecretsDir(task: string): string {
    return path.join(this.taskDir(task), TASK_SECRETS_DIR);
  }

  /** A task's `tmp/` directory. */
  taskTmpDir(task: string): string {
    return path.join(this.taskDir(task), TASK_TMP_DIR);
  }

  /** The log file of a task's stream, rotation index `n` (Nomad starts at 0). */
  logFile(task: string, stream: LogStream, n = 0): string {
    return path.join(this.logsDir, `${checkTaskName(task)}.${stream}.${n}`);
  }

  /**
   * Resolves a path given relative to the allocation root (as `nomad alloc
   * fs` takes it) and refuses one that escapes the allocation directory.
   */
  resolve(relative: string): string {
    const full = path.resolve(this.root, "." + path.sep + relative.replace(/^\/+/, ""));
    if (full !== this.root && !full.startsWith(this.root + path.sep)) {
      throw new Error(`path ${JSON.stringify(relative)} is outside the allocation directory`);
    }
    return full;
  }
}

function checkTaskName(task: string): string {
  if (task === "" || task === "." || task === ".." || task.includes("/") || task.includes("\\") || task.includes("\0")) {
    throw new Error(`invalid task name ${JSON.stringify(task)} for a directory`);
  }
  return task;
}
