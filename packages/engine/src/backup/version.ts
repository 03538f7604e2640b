// The engine's version, recorded in snapshots as "cairn-engine <version>" unless the caller
// names itself (the CLI and the agent do). Kept equal to package.json by a test.
export const ENGINE_VERSION = "0.1.0";
