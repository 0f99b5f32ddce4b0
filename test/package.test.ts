import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(root, name), "utf8"));
const supported: string = readJson("package.json").engines.node;

describe("the supported Node versions (package.json engines)", () => {
  it("every package the lock file installs accepts all of them", () => {
    const packages: Record<string, { engines?: { node?: string } }> = readJson("package-lock.json").packages;
    const refusing = Object.entries(packages)
      .filter(([name, info]) => name !== "" && info.engines?.node !== undefined)
      .filter(([, info]) => !semver.subset(supported, info.engines?.node as string))
      .map(([name, info]) => `${name} wants node ${info.engines?.node}`);

    expect(refusing).toEqual([]);
  });

  it("include the Node running the tests", () => {
    expect(semver.satisfies(process.version, supported), `${process.version} vs ${supported}`).toBe(true);
  });
});
