import { describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";

describe("SEURANTA_INBOX_SETTLE_S", () => {
  it("is 10 seconds when unset or empty", () => {
    expect(loadConfig({}).inboxSettleS).toBe(10);
    expect(loadConfig({ SEURANTA_INBOX_SETTLE_S: "" }).inboxSettleS).toBe(10);
  });

  it("takes seconds, fractions allowed", () => {
    expect(loadConfig({ SEURANTA_INBOX_SETTLE_S: "2.5" }).inboxSettleS).toBe(2.5);
  });

  it("refuses a negative or non-numeric value, naming the setting", () => {
    expect(() => loadConfig({ SEURANTA_INBOX_SETTLE_S: "-1" })).toThrow(/inboxSettleS/);
    expect(() => loadConfig({ SEURANTA_INBOX_SETTLE_S: "kymmenen" })).toThrow(/inboxSettleS/);
  });
});
