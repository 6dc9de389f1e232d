/** Reads of Nomad Variables (Nomad's `state_store_variables.go`): by path, and listed by namespace and path prefix. */
import type { VariableEncrypted } from "../structs";
import { nsKey, type StateTables } from "./schema";

/** One variable by namespace and path. */
export function variableOf(t: StateTables, namespace: string, path: string): VariableEncrypted | undefined {
  return t.variables.get(nsKey(namespace, path));
}

/** The variables of a namespace ("*" for every namespace) whose path starts with `prefix`, ordered by namespace then path. */
export function variablesIn(t: StateTables, namespace: string, prefix = ""): VariableEncrypted[] {
  const rows = namespace === "*" ? [...t.variables.values()] : [...t.variables.index("namespace").get(namespace)];
  const out = prefix ? rows.filter((v) => v.Path.startsWith(prefix)) : rows;
  return out.sort((a, b) => (a.Namespace === b.Namespace ? cmp(a.Path, b.Path) : cmp(a.Namespace, b.Namespace)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
