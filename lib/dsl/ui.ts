import { block, JsonObject } from "./json";

/** A link shown on the job's page in the Nomad UI. */
export interface UiLinkProps {
  /** The link text. */
  readonly label: string;
  /** The address. */
  readonly url: string;
}

/** The `ui` block of a job: a description (Markdown) and links shown in the Nomad UI. */
export interface UiProps {
  /** A description of the job, in Markdown. */
  readonly description?: string;
  /** Links shown with the job. */
  readonly links?: readonly UiLinkProps[];
}

/** Renders the ui block as Nomad's `JobUIConfig`. */
export function renderUi(u: UiProps | undefined): JsonObject | undefined {
  if (u === undefined) return undefined;
  return block({ Description: u.description, Links: u.links?.map((l) => ({ Label: l.label, URL: l.url })) }) ?? {};
}
