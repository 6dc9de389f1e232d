/**
 * A wall clock that a test can step forward, as NTP steps a real one: now is
 * the real time plus an offset, timers run on real time, and `jump` moves the
 * offset and runs at once (in order) every timer that the new time has passed.
 * The runtime's clients keep running in real time next to it.
 */
import type { Clock } from "../../lib/runtime/server/clock";

interface Timer {
  at: number;
  fn: () => void;
  real: NodeJS.Timeout;
}

/** A steppable wall clock. */
export class ShiftClock implements Clock {
  private offset: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  /** Starts at `startMs` (unix ms), default the real now. */
  constructor(startMs = Date.now()) {
    this.offset = startMs - Date.now();
  }

  /** The real time plus the steps taken so far. */
  nowMs(): number {
    return Date.now() + this.offset;
  }

  /** Runs `fn` after `ms` of real time, or sooner when a step passes its time. */
  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    const real = setTimeout(
      () => {
        if (this.timers.delete(id)) fn();
      },
      Math.max(0, ms),
    );
    real.unref();
    this.timers.set(id, { at: this.nowMs() + Math.max(0, ms), fn, real });
    return id;
  }

  /** Cancels a timer. */
  clearTimer(handle: unknown): void {
    const t = this.timers.get(handle as number);
    if (!t) return;
    clearTimeout(t.real);
    this.timers.delete(handle as number);
  }

  /** Steps the clock forward by `ms` and runs every timer now due, earliest first (timers they set included). */
  jump(ms: number): void {
    this.offset += ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const now = this.nowMs();
      let due: [number, Timer] | undefined;
      for (const e of this.timers.entries()) if (e[1].at <= now && (!due || e[1].at < due[1].at)) due = e;
      if (!due) return;
      clearTimeout(due[1].real);
      this.timers.delete(due[0]);
      due[1].fn();
    }
  }

  /** Steps the clock to `ms` past the start of the next whole minute and runs the due timers; returns that minute (unix ms). */
  jumpToNextMinute(ms = 500): number {
    const minute = Math.floor(this.nowMs() / 60_000) * 60_000 + 60_000;
    this.jump(minute + ms - this.nowMs());
    return minute;
  }
}
