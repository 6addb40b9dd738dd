#!/usr/bin/env node
// The CLI ships as TypeScript source: register tsx (resolved from this package's own
// dependencies, whatever the caller's cwd) and run the entry point through it.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
