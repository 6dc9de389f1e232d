/**
 * The task driver interface now lives in `lib/runtime/drivers/driver.ts`;
 * this module re-exports it for existing imports.
 */
export * from "../drivers/driver";
