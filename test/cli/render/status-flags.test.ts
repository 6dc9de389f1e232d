/** Nomad's one-dash spelling of long flags. */
import { nomadStyleFlags } from "../../../lib/cli/render/status-flags";

describe("Nomad-style flags", () => {
  it("accepts one-dash long flags", () => {
    expect(nomadStyleFlags(["-stderr", "-tail", "-n", "3", "-verbose=true", "-f", "--", "-stderr"], ["stderr", "tail", "verbose"])).toEqual(
      ["--stderr", "--tail", "-n", "3", "--verbose=true", "-f", "--", "-stderr"],
    );
  });
});
