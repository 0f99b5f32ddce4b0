import type { Command } from "../command.ts";

// Placeholder while the demo generator is written (replaced in the same session).
export const demoCommand: Command = {
  name: "demo",
  summary: "luo ja lataa esimerkkiaineiston",
  usage: "demo [--json]",
  run: async (_args, io) => {
    io.err("demo: not written yet\n");
    return 1;
  },
};
