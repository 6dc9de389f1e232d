/**
 * The mock driver now lives in `lib/runtime/drivers/mock.ts`; this module
 * re-exports it for existing imports.
 */
export { MockDriver, parseMockConfig, goDurationMs, type MockTaskConfig } from "../drivers/mock";
