// @cairn/engine: the Node backup pipeline and restore-plan executor.
export {};
