// @cairn/restore-planner: pure, deterministic restore plans. Browser-safe.
export {};
