/**
 * The agent's one logger (Nomad's hclog logger as `nomad monitor` taps it):
 * every part of the agent logs through it, at a level; lines at or above the
 * agent's level go to its sink (the console of `drover agent`), and each
 * `/v1/agent/monitor` stream subscribes at its own level, from TRACE to
 * ERROR, whatever the sink's.
 */

/** Log levels, as hclog names them, least severe first. */
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One log line. */
export interface LogLine {
  /** When it was logged (Unix milliseconds). */
  timeMs: number;
  /** Its level. */
  level: LogLevel;
  /** The message (a `name: ` prefix names the part of the agent it comes from). */
  message: string;
}

/** The level named by `text` (case-insensitive; `warning` for WARN, as hclog), or undefined. */
export function parseLogLevel(text: string): LogLevel | undefined {
  const up = text.trim().toUpperCase();
  if (up === "WARNING") return "WARN";
  return (LOG_LEVELS as readonly string[]).includes(up) ? (up as LogLevel) : undefined;
}

/** Whether `level` is at least as severe as `min`. */
export function atLeast(level: LogLevel, min: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(min);
}

/** A line as hclog writes it: `2026-01-02T03:04:05.678Z [INFO]  message`. */
export function formatLogLine(l: LogLine): string {
  return `${new Date(l.timeMs).toISOString()} [${l.level}] ${l.level.length === 4 ? " " : ""}${l.message}`;
}

/** A line as hclog's JSON format writes it: `{"@level":"info","@message":…,"@timestamp":…}`. */
export function formatLogLineJSON(l: LogLine): string {
  return JSON.stringify({ "@level": l.level.toLowerCase(), "@message": l.message, "@timestamp": new Date(l.timeMs).toISOString() });
}

/** The agent's logger. */
export class AgentLogger {
  private readonly subscribers = new Set<{ level: LogLevel; listener: (line: LogLine) => void }>();
  private lowestSubscribed: number = LOG_LEVELS.length;

  /**
   * @param sink where lines at `level` or above go (default: nowhere)
   * @param level the sink's level (default INFO)
   * @param nowMs the clock of the lines' times
   */
  constructor(
    private readonly sink: ((message: string) => void) | undefined,
    readonly level: LogLevel = "INFO",
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Whether a line at `level` would go anywhere (so that costly messages are built only then). */
  enabled(level: LogLevel): boolean {
    const i = LOG_LEVELS.indexOf(level);
    return (this.sink !== undefined && i >= LOG_LEVELS.indexOf(this.level)) || i >= this.lowestSubscribed;
  }

  /** Logs a line. */
  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const line: LogLine = { timeMs: this.nowMs(), level, message };
    if (this.sink && atLeast(level, this.level)) this.sink(message);
    for (const s of [...this.subscribers]) if (atLeast(level, s.level)) s.listener(line);
  }

  /** The agent's parts take a plain `(message) => void` sink: this one logs at INFO. */
  readonly info = (message: string): void => this.log("INFO", message);

  /** Delivers every line at `level` or above to `listener` from now on; returns the unsubscribe function. */
  subscribe(level: LogLevel, listener: (line: LogLine) => void): () => void {
    const sub = { level, listener };
    this.subscribers.add(sub);
    this.recompute();
    return () => {
      this.subscribers.delete(sub);
      this.recompute();
    };
  }

  /** The number of live subscriptions. */
  get subscriptions(): number {
    return this.subscribers.size;
  }

  private recompute(): void {
    let low: number = LOG_LEVELS.length;
    for (const s of this.subscribers) low = Math.min(low, LOG_LEVELS.indexOf(s.level));
    this.lowestSubscribed = low;
  }
}
