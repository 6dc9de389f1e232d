/**
 * A fake Nomad for plan/apply tests: serves a live job (the versions sample's
 * read-back) and recorded plan responses, and scripts evaluations,
 * deployments and allocations.
 */
import { FakeNomad } from "../api/fake-nomad";
import { docs, fixture } from "./fixtures";

type Obj = Record<string, any>;

/** The live read-back job: Versions[0] of the versions sample (JobModifyIndex 16). */
export function liveExample(): Obj {
  return structuredClone(docs<{ Versions: Obj[] }>("jobs__list-job-versions__sample-response").Versions[0]);
}

/** The program that registered it. */
export function desiredExample(): Obj {
  return fixture<Obj>("desired/versions-example-v1.json");
}

/** Starts a fake agent where job "example" is live (or absent) and plans answer with `planFile`. */
export async function fakeCluster(opts: { live?: Obj | null; plan?: Obj } = {}): Promise<FakeNomad> {
  const fake = new FakeNomad();
  const live = opts.live === undefined ? liveExample() : opts.live;
  fake.on("GET", "/v1/job/example", live ? { body: live, headers: { "X-Nomad-Index": "26" } } : { status: 404, body: "job not found" });
  fake.on("PUT", "/v1/job/example/plan", { body: opts.plan ?? fixture("server/plan-noop.json") });
  return fake.start();
}
