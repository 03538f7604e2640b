// withFaults: a Storage wrapper that makes things go wrong on purpose, reproducibly. Tests of
// code above the storage layer (retry, repository writes, prune, check) use it to show they
// survive transient failures, lost acknowledgements, crashed writers and corrupted reads.
//
// A plan is a seed plus an ordered list of rules. For every call, the rules that match its
// operation and key are considered in order; the first one that fires decides the fault, so
// at most one fault is injected per call. Whether a rule fires depends only on the seed and on
// the sequence of calls, so the same test makes the same calls and sees the same faults.
// Every injected fault is appended to `injected`, so a test can assert that faults happened.
// Keys, prefixes and arguments are validated before any fault, so misuse stays a
// TypeError/RangeError exactly as without the wrapper.
import { StorageError, StorageUnavailableError } from "../errors.js";
import { sleep } from "../internal/abort.js";
import { canSimulateCrash, simulateCrashedPut } from "../internal/crashHook.js";
import { byteRange, bytes, integer, number } from "../internal/validate.js";
import { validateKey, validatePrefix } from "../keys.js";
import type { StorageOperation } from "../retry.js";
import type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "../storage.js";
import { seededRandom } from "./prng.js";

/**
 * What goes wrong:
 * - `fail-before`: the call throws without reaching the store.
 * - `fail-after`: the call takes effect, then throws (a lost acknowledgement). For `list`, it
 *   throws after yielding a seeded number of the objects.
 * - `crash` (`put` only): the writer "dies" after writing a seeded prefix of the data. Backends
 *   that can leave debris (the filesystem leaves a temporary file) are asked to leave it;
 *   for others it is `fail-before`.
 * - `truncate` (`get` only): returns a seeded strict prefix of the bytes (empty results pass).
 * - `flip-bit` (`get` only): returns the bytes with one seeded bit flipped (empty results pass).
 * - `latency`: waits `ms` milliseconds, then runs the call normally.
 *
 * Failures throw `StorageUnavailableError` (retryable), or a non-retryable `StorageError`
 * when `retryable: false`.
 */
export type Fault =
  | { readonly kind: "fail-before"; readonly retryable?: boolean }
  | { readonly kind: "fail-after"; readonly retryable?: boolean }
  | { readonly kind: "crash" }
  | { readonly kind: "truncate" }
  | { readonly kind: "flip-bit" }
  | { readonly kind: "latency"; readonly ms: number };

export interface FaultRule {
  readonly fault: Fault;
  /** Operations the rule applies to (default: all the fault makes sense for). */
  readonly operations?: readonly StorageOperation[];
  /** Only keys (for `list`, prefixes) starting with this (default `""`). */
  readonly keyPrefix?: string;
  /** Chance that a matching call fires the rule, 0..1 (default 1). */
  readonly probability?: number;
  /** Let this many matching calls through before the rule may fire (default 0). */
  readonly skip?: number;
  /** Fire at most this many times (default: no limit). */
  readonly times?: number;
}

export interface FaultPlan {
  /** Seeds every random choice; the same seed and calls give the same faults. */
  readonly seed: number;
  readonly rules: readonly FaultRule[];
}

/** One fault that was injected. */
export interface InjectedFault {
  /** Sequence number of the call among all calls made through the wrapper, from 0. */
  readonly call: number;
  readonly operation: StorageOperation;
  readonly key: string;
  readonly kind: Fault["kind"];
  /** Bytes kept (`crash`, `truncate`), bit flipped (`flip-bit`) or objects yielded (`list`). */
  readonly detail?: number;
}

/** A Storage with faults injected, and the record of them. */
export interface FaultyStorage extends Storage {
  readonly injected: readonly InjectedFault[];
}

const APPLIES_TO: Record<Fault["kind"], readonly StorageOperation[]> = {
  "fail-before": ["put", "get", "stat", "list", "delete"],
  "fail-after": ["put", "get", "stat", "list", "delete"],
  crash: ["put"],
  truncate: ["get"],
  "flip-bit": ["get"],
  latency: ["put", "get", "stat", "list", "delete"],
};

interface RuleState {
  readonly rule: FaultRule;
  readonly operations: readonly StorageOperation[];
  matched: number;
  fired: number;
}

/**
 * Wraps `storage` so that calls fail as `plan` says.
 * @throws {TypeError|RangeError} for a malformed plan.
 */
export function withFaults(storage: Storage, plan: FaultPlan): FaultyStorage {
  integer("plan.seed", plan.seed, 0, 0xffffffff);
  const rules = plan.rules.map((rule, i): RuleState => {
    const kind = rule.fault.kind;
    if (!Object.hasOwn(APPLIES_TO, kind)) throw new RangeError(`plan.rules[${i}].fault.kind: expected one of ${Object.keys(APPLIES_TO).join(", ")}, got ${String(kind)}`);
    if (rule.fault.kind === "latency") number(`plan.rules[${i}].fault.ms`, rule.fault.ms, 0, 600_000);
    number(`plan.rules[${i}].probability`, rule.probability ?? 1, 0, 1);
    integer(`plan.rules[${i}].skip`, rule.skip ?? 0, 0, Number.MAX_SAFE_INTEGER);
    if (rule.times !== undefined) integer(`plan.rules[${i}].times`, rule.times, 0, Number.MAX_SAFE_INTEGER);
    const operations = (rule.operations ?? APPLIES_TO[kind]).filter((op) => APPLIES_TO[kind].includes(op));
    return { rule, operations, matched: 0, fired: 0 };
  });
  return new FaultInjectingStorage(storage, rules, seededRandom(plan.seed));
}

class FaultInjectingStorage implements FaultyStorage {
  readonly injected: InjectedFault[] = [];
  #calls = 0;

  constructor(
    private readonly inner: Storage,
    private readonly rules: readonly RuleState[],
    private readonly random: () => number,
  ) {}

  async put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    validateKey(key);
    bytes("data", data);
    const { fault, record } = this.#draw("put", key);
    if (fault?.kind === "crash") {
      const kept = Math.floor(this.random() * data.length);
      record(kept);
      if (canSimulateCrash(this.inner)) await this.inner[simulateCrashedPut](key, data.slice(0, kept));
      throw this.#error(fault, "put", key);
    }
    await this.#before(fault, "put", key, record);
    await this.inner.put(key, data, options);
    this.#after(fault, "put", key, record);
  }

  async get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    validateKey(key);
    byteRange(range);
    const { fault, record } = this.#draw("get", key);
    await this.#before(fault, "get", key, record);
    const data = await this.inner.get(key, range, options);
    this.#after(fault, "get", key, record);
    if (fault?.kind === "truncate" && data.length > 0) {
      const kept = Math.floor(this.random() * data.length);
      record(kept);
      return data.slice(0, kept);
    }
    if (fault?.kind === "flip-bit" && data.length > 0) {
      const bit = Math.floor(this.random() * data.length * 8);
      record(bit);
      data[bit >>> 3]! ^= 1 << (bit & 7);
    }
    return data;
  }

  async stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    validateKey(key);
    const { fault, record } = this.#draw("stat", key);
    await this.#before(fault, "stat", key, record);
    const result = await this.inner.stat(key, options);
    this.#after(fault, "stat", key, record);
    return result;
  }

  async delete(key: string, options?: OperationOptions): Promise<void> {
    validateKey(key);
    const { fault, record } = this.#draw("delete", key);
    await this.#before(fault, "delete", key, record);
    await this.inner.delete(key, options);
    this.#after(fault, "delete", key, record);
  }

  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    const { fault, record } = this.#draw("list", prefix);
    await this.#before(fault, "list", prefix, record);
    if (fault?.kind !== "fail-after") {
      yield* this.inner.list(prefix, options);
      return;
    }
    const all: ObjectInfo[] = [];
    for await (const info of this.inner.list(prefix, options)) all.push(info);
    const yielded = Math.floor(this.random() * (all.length + 1));
    record(yielded);
    yield* all.slice(0, yielded);
    throw this.#error(fault, "list", prefix);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }

  /** Decides this call's fault (or none) and returns a function that records it once fired. */
  #draw(operation: StorageOperation, key: string): { fault: Fault | undefined; record: (detail?: number) => void } {
    const call = this.#calls++;
    let chosen: Fault | undefined;
    for (const state of this.rules) {
      if (!state.operations.includes(operation) || !key.startsWith(state.rule.keyPrefix ?? "")) continue;
      state.matched++;
      if (state.matched <= (state.rule.skip ?? 0) || state.fired >= (state.rule.times ?? Infinity)) continue;
      const probability = state.rule.probability ?? 1;
      if (probability < 1 && this.random() >= probability) continue;
      state.fired++;
      chosen = state.rule.fault;
      break;
    }
    let recorded = false;
    const record = (detail?: number) => {
      if (chosen === undefined || recorded) return;
      recorded = true;
      this.injected.push({ call, operation, key, kind: chosen.kind, ...(detail === undefined ? {} : { detail }) });
    };
    return { fault: chosen, record };
  }

  async #before(fault: Fault | undefined, operation: StorageOperation, key: string, record: (detail?: number) => void): Promise<void> {
    if (fault === undefined) return;
    if (fault.kind === "latency") {
      record();
      await sleep(fault.ms);
    } else if (fault.kind === "fail-before") {
      record();
      throw this.#error(fault, operation, key);
    }
  }

  #after(fault: Fault | undefined, operation: StorageOperation, key: string, record: (detail?: number) => void): void {
    if (fault?.kind !== "fail-after") return;
    record();
    throw this.#error(fault, operation, key);
  }

  #error(fault: Fault, operation: StorageOperation, key: string): StorageError {
    const message = `injected ${fault.kind} fault on ${operation} ${key}`;
    const isRetryable = !("retryable" in fault) || fault.retryable !== false;
    return isRetryable ? new StorageUnavailableError(message, { key }) : new StorageError(message, { key });
  }
}
