/** drover's state store: tables, indexes, watchers and persistence. */
export * from "./tables";
export * from "./watch";
export * from "./persistence";
export * from "./sqlite";
export * from "./store";
