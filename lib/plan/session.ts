/**
 * `withNomadClient`: run one unit of work with a client created for it and
 * closed after it, from plain-data options. This is the shape the Pulumi
 * dynamic provider needs: it may not capture live clients (they cannot be
 * serialized), so every provider method builds its own.
 */
import { NomadClient } from "../api";
import type { NomadClientOptions } from "../api";

/** Connection settings as plain data. */
export interface ConnectionOptions extends NomadClientOptions {
  /** Read NOMAD_* variables from this environment first (explicit fields win). Default: none. */
  env?: Record<string, string | undefined>;
}

/** Creates a client from `options`, runs `fn` with it and closes it, whatever happens. */
export async function withNomadClient<T>(options: ConnectionOptions, fn: (client: NomadClient) => Promise<T>): Promise<T> {
  const { env, ...explicit } = options;
  const client = env ? NomadClient.fromEnv(env, explicit) : new NomadClient(explicit);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
