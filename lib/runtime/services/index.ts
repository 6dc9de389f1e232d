/** Nomad's built-in service discovery for drover's runtime: registrations of `provider = "nomad"` services and their checks. */
export * from "./registration";
export * from "./checks";
export * from "./discovery";
