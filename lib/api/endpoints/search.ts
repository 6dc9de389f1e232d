/** `client.search` (`api/search.go`): prefix and fuzzy search. */
import type { Transport } from "../transport";
import type { FuzzySearchResponse, SearchContext, SearchResponse } from "../types/search";

/** Options of a search. */
export interface SearchOptions {
  /** Namespace searched (default the client's; `"*"` for all). */
  namespace?: string;
  /** Region (default the client's). */
  region?: string;
}

/** The search endpoints. */
export class SearchEndpoint {
  constructor(private readonly t: Transport) {}

  /** `POST /v1/search`: IDs that start with `prefix` in `context` (default `"all"`). */
  async prefix(prefix: string, context: SearchContext = "all", opts: SearchOptions = {}): Promise<SearchResponse> {
    return (await this.t.write<SearchResponse>("POST", "/v1/search", { Prefix: prefix, Context: context }, {}, opts)).data;
  }

  /** `POST /v1/search/fuzzy`: names that contain `text` (at least 2 characters) in `context` (default `"all"`), best first. */
  async fuzzy(text: string, context: SearchContext = "all", opts: SearchOptions = {}): Promise<FuzzySearchResponse> {
    return (await this.t.write<FuzzySearchResponse>("POST", "/v1/search/fuzzy", { Text: text, Context: context }, {}, opts)).data;
  }
}
