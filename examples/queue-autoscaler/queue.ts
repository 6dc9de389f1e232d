/**
 * Where the queue depth comes from. The seed reads a Redis list's length
 * (`LLEN`); here the queue sits behind `QueueDepthSource`, with one real
 * implementation that needs no extra service: a spool directory, where
 * producers drop one file per message and workers take files away (the
 * layout of maildir and of many print and mail spools).
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";

/** Anything that can say how many messages wait. */
export interface QueueDepthSource {
  /** The number of waiting messages now. */
  depth(): Promise<number>;
  /** A short name for messages and scaling events, e.g. `dir:/var/spool/jobs`. */
  readonly name: string;
}

/**
 * A spool directory as a queue: every regular file is one waiting message.
 * Files whose names start with "." (or end with ".tmp") are being written
 * and do not count yet, so producers write `.name` and rename it into place.
 */
export class DirectoryQueue implements QueueDepthSource {
  /** `dir:<absolute path>`. */
  readonly name: string;

  constructor(readonly dir: string) {
    this.name = `dir:${path.resolve(dir)}`;
  }

  /** Counts the directory's finished message files; a missing directory is an error that names it. */
  async depth(): Promise<number> {
    let entries;
    try {
      entries = await fs.readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      throw new Error(`cannot read the queue directory ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return entries.filter((e) => e.isFile() && !e.name.startsWith(".") && !e.name.endsWith(".tmp")).length;
  }

  /** Adds one message (written under a dot name, then renamed, so a reader never counts a half-written file). */
  async push(body: string): Promise<string> {
    const base = `${Date.now()}-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
    const tmp = path.join(this.dir, `.${base}`);
    await fs.writeFile(tmp, body);
    const file = path.join(this.dir, `${base}.msg`);
    await fs.rename(tmp, file);
    return file;
  }
}
