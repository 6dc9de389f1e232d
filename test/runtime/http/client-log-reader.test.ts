/** Nomad's choice of log file and offset when a log is read from an index and an offset. */
import { findClosest, type LogFileEntry } from "../../../lib/runtime/http/client-log-reader";

const files: LogFileEntry[] = [
  { index: 0, name: "t.stdout.0", size: 10 },
  { index: 1, name: "t.stdout.1", size: 20 },
  { index: 3, name: "t.stdout.3", size: 5 },
];

describe("findClosest (Nomad's choice of log file and offset)", () => {
  it.each([
    ["start of the oldest file", 0, 0, "t.stdout.0", 0],
    ["an offset inside the first file", 0, 7, "t.stdout.0", 7],
    ["an offset carried into the next file", 0, 15, "t.stdout.1", 5],
    ["an offset past everything stops at the end", 0, 1000, "t.stdout.3", 5],
    ["a missing index picks the next one", 2, 0, "t.stdout.3", 0],
    ["the newest file from the end", Number.MAX_SAFE_INTEGER, -3, "t.stdout.3", 2],
    ["from the end across files", Number.MAX_SAFE_INTEGER, -15, "t.stdout.1", 10],
    ["from the end before the first byte", Number.MAX_SAFE_INTEGER, -1000, "t.stdout.0", 0],
  ])("%s", (_what, index, offset, name, at) => {
    const r = findClosest(files, index, offset);
    expect([r.entry.name, r.offset]).toEqual([name, at]);
  });
});
