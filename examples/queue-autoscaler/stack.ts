/**
 * The queue workers deployed with Pulumi, side by side with the scaler:
 * `preserveCounts: true` leaves the worker count to the scaler. Pulumi owns
 * the job's definition (image, resources, the scaling block's min and max);
 * `pulumi up` registers changes with Nomad's PreserveCounts, so a count the
 * scaler set stays, and a preview shows no change for it.
 *
 *   // index.ts of a Pulumi project
 *   export { workers } from "drover/examples/queue-autoscaler/stack";
 *
 * Then run the scaler (main.ts, without --register) against the same agent.
 */
import { NomadJob } from "../../provider";
import { demoWorkersJob } from "./main";

/** The workers job, its count owned by the scaler. */
export const workers = new NomadJob("queue-workers", {
  job: demoWorkersJob("queue-workers", { min: 1, max: 5 }),
  preserveCounts: true,
  waitTimeout: "2m",
});
