/**
 * The provider object Pulumi serializes into every `NomadJob`'s state: a thin
 * shell whose methods load provider/handlers at call time, in the process
 * that runs them (Pulumi's dynamic-provider host, a plain `node`).
 *
 * Serialization rules this file keeps (see provider/README.md): no
 * module-level `let`, no captured live objects or imported namespaces, no
 * `#private`; the only captured data is the list of places to load the
 * handlers from, so the serialized text stays a few kilobytes.
 */
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type * as Handlers from "./handlers";

/**
 * Where the shell looks for provider/handlers, in order:
 * 1. `drover/provider/handlers` and `drover/dist/provider/handlers`: the
 *    installed package, resolved from the Pulumi project's folder (the host's
 *    working directory). Portable: the state names no absolute path.
 * 2. The compiled or source file beside this one, by absolute path (a
 *    checkout used directly, or ts-jest loading the sources).
 * 3. When this file runs from the sources, the compiled copy under `dist/`
 *    (a checkout built with `npm run build`, run by a plain-node host).
 */
export function handlerLocations(dir: string = __dirname): string[] {
  const out = ["drover/provider/handlers", "drover/dist/provider/handlers", path.join(dir, "handlers")];
  if (path.basename(path.dirname(dir)) !== "dist") out.push(path.join(dir, "..", "dist", "provider", "handlers"));
  return out;
}

/** Loads provider/handlers from the first location that resolves; says where it looked when none does. */
function loadHandlers(locations: readonly string[]): typeof Handlers {
  const tried: string[] = [];
  for (const location of locations) {
    try {
      return require(location) as typeof Handlers;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      // Only "this location does not exist" moves on; an error inside the module is real.
      if (e.code !== "MODULE_NOT_FOUND" || !String(e.message).includes(`'${location}'`)) throw err;
      tried.push(location);
    }
  }
  throw new Error(
    `drover's Pulumi provider cannot load its code: none of ${tried.join(", ")} resolves from ${process.cwd()}. ` +
      "Install drover in the Pulumi project (npm install drover) or build the checkout (npm run build).",
  );
}

/**
 * Creates the `NomadJob` dynamic provider. `locations` are the module paths
 * tried for provider/handlers (default `handlerLocations()`).
 */
export function createNomadJobProvider(locations: readonly string[] = handlerLocations()): dynamic.ResourceProvider {
  const where = [...locations];
  return {
    check: async (olds, news) => loadHandlers(where).check(olds, news),
    diff: async (id, olds, news) => loadHandlers(where).diff(id, olds, news),
    create: async (inputs) => loadHandlers(where).create(inputs),
    read: async (id, props) => loadHandlers(where).read(id, (props ?? {}) as Record<string, unknown>),
    update: async (id, olds, news) => loadHandlers(where).update(id, olds, news),
    delete: async (id, props) => loadHandlers(where).destroy(id, props),
  };
}
