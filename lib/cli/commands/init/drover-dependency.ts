/**
 * The `drover` dependency `drover init` writes into a new project's
 * package.json. drover is not published on npm, so a version range would
 * make `npm install` fail (or fetch somebody else's package): the spec points
 * at where this drover came from.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the running drover was found, and the spec a new project should use for it. */
export interface DroverDependency {
  /** The npm dependency spec, e.g. `file:../drover` or `file:../drover-0.1.0.tgz`. */
  readonly spec: string;
  /** How the spec was chosen, for the message `drover init` prints. */
  readonly source: "checkout" | "installed" | "option";
}

/** The root of the drover package this code runs from (the directory of its package.json). */
export function droverPackageRoot(from: string = __dirname): string | undefined {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    try {
      if ((JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown }).name === "drover") return dir;
    } catch {
      // an unreadable package.json on the way up is not drover's
    }
  }
  return undefined;
}

/** A `file:` spec for `target`, relative to the project directory when that is shorter to read. */
function fileSpec(projectDir: string, target: string): string {
  const rel = path.relative(projectDir, target).split(path.sep).join("/");
  return `file:${rel === "" ? "." : rel.startsWith(".") || path.isAbsolute(rel) ? rel : `./${rel}`}`;
}

/**
 * How the project that installed drover into `node_modules/drover` resolved
 * it (its package-lock.json's `resolved`, or its package.json's spec), made
 * valid from `projectDir`: a `file:` spec is rebased, any other (a git URL, a
 * tarball URL) is kept as it is.
 */
function installedSpec(installedRoot: string, projectDir: string): string | undefined {
  const nodeModules = path.dirname(installedRoot);
  if (path.basename(nodeModules) !== "node_modules") return undefined;
  const owner = path.dirname(nodeModules);
  let spec: string | undefined;
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(owner, "package-lock.json"), "utf8")) as {
      packages?: Record<string, { resolved?: string }>;
    };
    spec = lock.packages?.["node_modules/drover"]?.resolved;
  } catch {
    // no lock file: fall back to the package.json
  }
  if (!spec) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(owner, "package.json"), "utf8")) as Record<
        string,
        Record<string, string> | undefined
      >;
      spec = pkg.dependencies?.drover ?? pkg.devDependencies?.drover;
    } catch {
      return undefined;
    }
  }
  if (!spec) return undefined;
  if (spec.startsWith("file:")) return fileSpec(projectDir, path.resolve(owner, spec.slice("file:".length)));
  // A range would name the npm registry, where drover is not published.
  if (/^[\^~<>=\d*]/.test(spec)) return undefined;
  return spec;
}

/**
 * The spec for the new project in `projectDir`: `option` when given; else,
 * when drover runs from a checkout (not from a `node_modules` folder), a
 * `file:` path to that checkout; else the spec the installing project used.
 * Undefined when none can be found: the caller must ask for `--drover`.
 */
export function droverDependency(
  projectDir: string,
  option?: string,
  root: string | undefined = droverPackageRoot(),
): DroverDependency | undefined {
  if (option !== undefined) return { spec: option, source: "option" };
  if (!root) return undefined;
  if (!root.split(path.sep).includes("node_modules")) return { spec: fileSpec(projectDir, root), source: "checkout" };
  const spec = installedSpec(root, projectDir);
  return spec ? { spec, source: "installed" } : undefined;
}
