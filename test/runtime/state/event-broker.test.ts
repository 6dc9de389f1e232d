/** The event broker's buffer: bounded by writes (Nomad's `event_buffer_size`) and by bytes (drover's `event_buffer_max_bytes`). */
import { EventBroker } from "../../../lib/runtime/state/event-broker";
import type { StreamEvent } from "../../../lib/runtime/structs";

/** One Job event of about `size` bytes of JSON at `index`. */
function event(index: number, size = 100): StreamEvent {
  return {
    Topic: "Job",
    Type: "JobRegistered",
    Key: `job-${index}`,
    Namespace: "default",
    FilterKeys: null,
    Index: index,
    Payload: { pad: "x".repeat(size) },
  };
}

/** The indexes a subscriber resuming from 1 is sent. */
function replayed(broker: EventBroker): number[] {
  const out: number[] = [];
  broker.subscribe({ topics: new Map([["*", ["*"]]]), namespace: "*", index: 1 }, (frame) => out.push(JSON.parse(frame).Index)).close();
  return out;
}

describe("the event buffer", () => {
  it("keeps the newest `event_buffer_size` writes", () => {
    const b = new EventBroker(3);
    for (let i = 1; i <= 5; i++) b.publish(i, [event(i)]);
    expect(replayed(b)).toEqual([3, 4, 5]);
    expect(b.size).toBe(3);
  });

  it("drops the oldest writes once the events' JSON passes `event_buffer_max_bytes`, however few writes there are", () => {
    const one = JSON.stringify(event(1, 1000)).length;
    const b = new EventBroker(100, 3 * one + 10);
    for (let i = 1; i <= 6; i++) b.publish(i, [event(i, 1000)]);
    expect(replayed(b)).toEqual([4, 5, 6]);
    expect(b.bytes).toBeLessThanOrEqual(3 * one + 10);
    expect(b.bytes).toBeGreaterThan(2 * one);
  });

  it("always keeps the newest write, even one larger than the bound", () => {
    const b = new EventBroker(100, 500);
    b.publish(1, [event(1, 100)]);
    b.publish(2, [event(2, 5000)]);
    expect(replayed(b)).toEqual([2]);
    b.publish(3, [event(3, 100)]);
    expect(replayed(b)).toEqual([3]);
  });

  it("refuses bounds that are not positive integers", () => {
    expect(() => new EventBroker(0)).toThrow("event_buffer_size must be a positive integer, got 0");
    expect(() => new EventBroker(10, 0.5)).toThrow("event_buffer_max_bytes must be a positive integer, got 0.5");
  });
});
