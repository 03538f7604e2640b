// @cairn/storage/testing: what backend authors and tests of code above storage need — the
// conformance suite every backend runs, and fault injection. Needs vitest (a peer dependency
// of this entry only). Browser-safe like the main entry.
export { describeStorageConformance, type ConformanceOptions, type StorageFixture } from "./conformance.js";
export { withFaults, type Fault, type FaultPlan, type FaultRule, type FaultyStorage, type InjectedFault } from "./faults.js";
export { seededBytes, seededRandom } from "./prng.js";
