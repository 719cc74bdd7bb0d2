#!/usr/bin/env node
// The `verdict` command. Runs the TypeScript sources through tsx, from the project folder.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

register();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { main } = await import(path.join(root, "lib/cli/main.ts"));
process.exitCode = await main(process.argv.slice(2));
