/**
 * A Pulumi program that deploys two drover jobs to Nomad. This one imports
 * the repository's sources; a project of your own imports the installed
 * package instead (`import { NomadApp } from "drover/provider"`).
 *
 * Configuration (all optional; the NOMAD_* environment is the default):
 *   pulumi config set nomadAddress http://127.0.0.1:4646
 *   pulumi config set --secret nomadToken <secret id>
 *   pulumi config set detach true         # do not wait for deployments
 */
import * as pulumi from "@pulumi/pulumi";
import { NomadApp } from "../../provider";
import { buildApp } from "./jobs";

const config = new pulumi.Config();

const services = new NomadApp("services", {
  app: buildApp(),
  address: config.get("nomadAddress"),
  token: config.getSecret("nomadToken"),
  detach: config.getBoolean("detach"),
  waitTimeout: config.get("waitTimeout") ?? "10m",
  // python-service waits for a human to promote its canary: do not block `pulumi up` on it.
  jobSettings: { "python-service": { detach: true } },
});

/** The deployed jobs' versions and allocation counts. */
export const jobs = Object.fromEntries(
  Object.entries(services.jobs).map(([id, job]) => [
    id,
    pulumi.all([job.version, job.status, job.allocations]).apply(([version, status, allocations]) => ({ version, status, allocations })),
  ]),
);
