import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SCRIPT_PATH } from "../../dashboard/pages/html.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

describe("the optional script /seuranta.js", () => {
  const { app } = useKeskiUusimaaApp();

  it("is served from our origin as JavaScript, the bytes of dashboard/static/seuranta.js", async () => {
    const response = await app().inject({ url: SCRIPT_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(response.body).toBe(
      fs.readFileSync(path.join(import.meta.dirname, "../../dashboard/static/seuranta.js"), "utf8"),
    );
  });

  it("every page and embed loads it with a src, never inline", async () => {
    for (const url of ["/", "/indikaattori/kt-tyohon", "/en/upotus/indikaattori/kt-tyohon/kehitys"]) {
      const body = (await app().inject({ url })).body;
      expect(body).toContain(`<script src="${SCRIPT_PATH}" defer></script>`);
      expect(body.match(/<script/g)).toHaveLength(1);
    }
  });
});
