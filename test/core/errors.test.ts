import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogue, messageFi } from "../../core/errors.ts";
import { ERROR_CATALOGUE_DOC, renderErrorCatalogue } from "../../core/errors-doc.ts";

describe("the problem catalogue", () => {
  it("the analyst's code reference is generated from the catalogue and up to date", () => {
    expect(fs.readFileSync(ERROR_CATALOGUE_DOC, "utf8")).toBe(renderErrorCatalogue());
  });

  it("every code has the SEU_ form, a Finnish text and an English log text", () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      expect(code).toMatch(/^SEU_[A-Z]+(_[A-Z0-9]+)+$/);
      expect(entry.fi.length).toBeGreaterThan(10);
      expect(entry.en.length).toBeGreaterThan(10);
    }
  });

  it("fills a message's slots with the problem's parameters", () => {
    expect(messageFi("SEU_VAL_QUARTER_RANGE", { value: '"2026Q1"', last: "2025Q3" })).toContain(
      'Vuosineljännes "2026Q1" ei kelpaa: sallittu väli on 2000Q1–2025Q3',
    );
  });
});
