import type { Command } from "../command.ts";

// Placeholder while the server command is written (replaced in the same session).
export const serveCommand: Command = {
  name: "serve",
  summary: "käynnistää palvelimen ja saapuneet-kansion ajastuksen",
  usage: "serve",
  run: async (_args, io) => {
    io.err("serve: not written yet\n");
    return 1;
  },
};
export const startCommand: Command = { ...serveCommand, name: "start", usage: "start" };
