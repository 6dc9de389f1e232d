/** The one timed wait of the runtime: it ends after its time, or early, without an error, when its signal aborts. */
import { sleep } from "../../lib/util/sleep";

describe("sleep", () => {
  it("resolves after its time", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  // Waits that outlast the test timeout: only the abort can end them.
  it("resolves at once when the signal aborts during the wait, or had aborted before", async () => {
    const ac = new AbortController();
    const waiting = sleep(600_000, ac.signal);
    ac.abort(new Error("stop"));
    await expect(waiting).resolves.toBeUndefined();
    await expect(sleep(600_000, ac.signal)).resolves.toBeUndefined();
  });
});
