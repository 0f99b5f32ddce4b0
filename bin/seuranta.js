#!/usr/bin/env node
// The package's command: registers the TypeScript loader, then runs the CLI written in TypeScript.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
