#!/usr/bin/env node
// cairn: the command line (placeholder until the CLI lands).
export {};
