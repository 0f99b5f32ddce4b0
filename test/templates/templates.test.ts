import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { columnsOf } from "../../pipelines/datasets/dataset.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import { templateFiles } from "../../pipelines/templates.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await makeTestEnv();
});
afterAll(() => env.close());

const committed = (name: string) => fs.readFileSync(path.join(env.config.templatesDir, name));

describe("CSV templates", () => {
  test("the committed templates are what pipelines/templates.ts generates", () => {
    const generated = templateFiles();
    const names = fs.readdirSync(env.config.templatesDir).sort();

    expect(names).toEqual(generated.map((f) => f.name).sort());
    for (const file of generated)
      expect(committed(file.name).equals(Buffer.from(file.content)), file.name).toBe(true);
  });

  test.each(DATASETS.map((d) => d.name))(
    "the %s example validates clean through the pipeline",
    async (name) => {
      const report = await env.ingest(`${name}_esimerkki.csv`, committed(`${name}_esimerkki.csv`), {
        dryRun: true,
      });

      expect(report).toMatchObject({ status: "valid", dataset: name, errors: [], warnings: [] });
      expect(report.encoding).toBe("utf-8-bom");
    },
  );

  test("templates are UTF-8 with BOM, ;-separated, with CRLF line ends", () => {
    for (const dataset of DATASETS) {
      const bytes = committed(`${dataset.name}.csv`);
      const header = columnsOf(dataset)
        .map((c) => c.name)
        .join(";");
      expect(
        bytes.equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\r\n`)])),
      ).toBe(true);
    }
  });

  test("the README describes every column with its schema description", () => {
    const readme = committed("README.md").toString("utf8");
    for (const dataset of DATASETS) {
      for (const column of columnsOf(dataset))
        expect(readme).toContain(`| \`${column.name}\` | ${column.description} |`);
    }
  });
});
