import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { csvUpload, postMultipart } from "../support/multipart.ts";
import { useAuthApp } from "./auth-fixture.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/libreoffice");
const bytes = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

describe("files saved by LibreOffice Calc, sent through the upload", () => {
  const f = useAuthApp();
  const send = (name: string, token: string) =>
    postMultipart(f.app(), "/api/v1/uploads", csvUpload(name, bytes(name)), {
      authorization: `Bearer ${token}`,
    });

  it.each([
    ["kuntouttava-tuhaterotin-windows1252.csv", "windows-1252"],
    ["tiimi-utf16-sarkain.txt", "utf-16le"],
    ["vammaispalvelut-utf8-pilkku.csv", "utf-8"],
  ])("%s (%s) is loaded for an admin", async (name, encoding) => {
    const response = await send(name, f.admin());
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().files[0]).toMatchObject({ status: "loaded", encoding });
  });

  it("the same Naantali file from an analyst of Jyväskylä is refused with 403", async () => {
    const response = await send("kuntouttava-otsikkorivi-windows1252.csv", f.analyst());
    expect(response.statusCode).toBe(403);
    expect(response.json().files[0].errors[0].code).toBe("SEU_ROW_KUNTA_NOT_ALLOWED");
  });

  it("a workbook saved as .xlsx is rejected, asking for CSV", async () => {
    const response = await send("kuntouttava.xlsx", f.admin());
    expect(response.statusCode).toBe(422);
    const [error] = response.json().files[0].errors;
    expect(error.code).toBe("SEU_FILE_BINARY");
    expect(error.message).toMatch(/CSV/);
  });
});
