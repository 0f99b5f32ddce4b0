/**
 * The deployment of deploy/: nginx (Debian's, the shipped deploy/nginx/seuranta.conf with loopback ports)
 * in front of a writer and two read replicas, each a real `seuranta serve` process. Without an nginx
 * binary the tests are skipped with a message, unless CI or SEURANTA_REQUIRE_NGINX is set (.ci/run
 * installs nginx and sets it): then they fail.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendTokenFile, newToken } from "../../core/tokens.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { KT_KESKI_UUSIMAA } from "../dashboard/fixture.ts";
import { makeTestEnv, TEST_TODAY } from "../support/env.ts";
import { multipartBody } from "../support/multipart.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin", "seuranta.js");
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((f) => fs.existsSync(f)) ?? null;
const MISSING = "nginx not found (apt-get update && apt-get install -y nginx)";
const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];
const READS = [
  "/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue",
  "/indikaattori/kt-tyohon",
  "/api/v1/releases",
  "/julkaisut",
];

/** A free loopback port (the kernel's choice, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** GETs a URL until it answers 200 (a server starting); throws after `seconds`. */
async function untilUp(url: string, seconds = 90): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up in ${seconds} s`);
    await sleep(100);
  }
}

/** The release numbers a server lists, newest first. */
async function releasesOf(base: string): Promise<number[]> {
  const answer = (await (await fetch(`${base}/api/v1/releases`)).json()) as { releases: { id: number }[] };
  return answer.releases.map((r) => r.id);
}

interface Server {
  process: ChildProcess;
  /** Everything it printed (the request log on stdout), for the count of requests it answered. */
  output: () => string;
}

const describeNginx = NGINX
  ? describe
  : process.env.CI || process.env.SEURANTA_REQUIRE_NGINX
    ? (name: string, _fn: () => void) =>
        describe(name, () => {
          it("has nginx to run", () => {
            throw new Error(
              `${MISSING}; CI or SEURANTA_REQUIRE_NGINX is set, so the deployment test must run`,
            );
          });
        })
    : (name: string, fn: () => void) => {
        console.warn(`deployment tests skipped: ${MISSING}`);
        describe.skip(`${name} (skipped: ${MISSING})`, fn);
      };

describeNginx("nginx in front of a writer and two read replicas", () => {
  let dir: string;
  let env: Record<string, string>;
  let token: string;
  const ports = { nginx: 0, writer: 0, replicas: [0, 0] };
  const servers: Server[] = [];
  let replicas: Server[] = [];
  let nginx: ChildProcess | null = null;
  const proxy = () => `http://127.0.0.1:${ports.nginx}`;
  const replicaUrl = (i: number) => `http://127.0.0.1:${ports.replicas[i]}`;

  const start = (args: string[], port: number): Server => {
    let output = "";
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => {
      output += String(d);
    });
    child.stderr?.on("data", (d) => {
      output += String(d);
    });
    const server = { process: child, output: () => output };
    servers.push(server);
    return server;
  };
  const startReplica = (i: number) =>
    start(["serve", "--replica", path.join(dir, "julkaisut")], ports.replicas[i] ?? 0);

  beforeAll(async () => {
    // the writer's database: the Keski-Uusimaa fixture loaded and computed (release 1)
    const testEnv = await makeTestEnv();
    dir = testEnv.dir;
    expect((await testEnv.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
    await recomputeAll(testEnv.db, testEnv.config);
    await testEnv.db.close();
    const made = newToken({ role: "analyst", name: "Anna Analyytikko", kunnat: ["106", "186", "611"] });
    token = made.token;
    appendTokenFile(path.join(dir, "tokens.json"), made.entry);
    ports.nginx = await freePort();
    ports.writer = await freePort();
    ports.replicas = [await freePort(), await freePort()];
    env = {
      SEURANTA_DATA_DIR: dir,
      SEURANTA_TODAY: TEST_TODAY,
      SEURANTA_RELEASES_DIR: path.join(dir, "julkaisut"),
      SEURANTA_TOKENS: path.join(dir, "tokens.json"),
      SEURANTA_TRUST_PROXY: "127.0.0.1",
      SEURANTA_INBOX_CRON: "0 0 1 1 *",
      HOST: "127.0.0.1",
    };
    start(["serve"], ports.writer);
    await untilUp(`http://127.0.0.1:${ports.writer}/readyz`);
    replicas = [startReplica(0), startReplica(1)];
    await Promise.all([0, 1].map((i) => untilUp(`${replicaUrl(i)}/readyz`)));

    // the shipped configuration with this test's ports, inside a main file of its own
    const nginxDir = path.join(dir, "nginx");
    fs.mkdirSync(nginxDir);
    const site = fs
      .readFileSync(path.join(ROOT, "deploy", "nginx", "seuranta.conf"), "utf8")
      .replaceAll("127.0.0.1:3000", `127.0.0.1:${ports.writer}`)
      .replaceAll("127.0.0.1:3001", `127.0.0.1:${ports.replicas[0]}`)
      .replaceAll("127.0.0.1:3002", `127.0.0.1:${ports.replicas[1]}`)
      .replace(/listen 80;/, `listen 127.0.0.1:${ports.nginx};`);
    fs.writeFileSync(path.join(nginxDir, "seuranta.conf"), site);
    fs.writeFileSync(
      path.join(nginxDir, "nginx.conf"),
      `daemon off;
worker_processes 1;
pid ${nginxDir}/nginx.pid;
${process.getuid?.() === 0 ? "user root;" : ""}
events { worker_connections 512; }
http {
  access_log ${nginxDir}/access.log;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  include ${nginxDir}/seuranta.conf;
}
`,
    );
    const args = [
      "-p",
      nginxDir,
      "-c",
      path.join(nginxDir, "nginx.conf"),
      "-e",
      path.join(nginxDir, "error.log"),
    ];
    const syntax = spawnSync(NGINX ?? "nginx", [...args, "-t"], { encoding: "utf8" });
    expect(syntax.status, syntax.stderr).toBe(0);
    nginx = spawn(NGINX ?? "nginx", args, { stdio: "ignore" });
    await untilUp(`${proxy()}/healthz`, 20);
  }, 300_000);

  afterAll(async () => {
    nginx?.kill("SIGQUIT");
    for (const server of servers) if (server.process.exitCode === null) server.process.kill("SIGTERM");
    await sleep(1000);
    for (const server of servers) if (server.process.exitCode === null) server.process.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sends the writer's own pages to the writer: the sign-in form answers through nginx", async () => {
    const direct = await fetch(`${replicaUrl(0)}/kirjaudu`);
    const proxied = await fetch(`${proxy()}/kirjaudu`);

    expect(direct.status).toBe(403);
    expect(proxied.status).toBe(200);
    expect(await proxied.text()).toContain('name="token"');
  });

  it("an upload through nginx is served by both replicas within seconds", async () => {
    expect(await releasesOf(replicaUrl(0))).toEqual([1]);
    const { payload, headers } = multipartBody([
      {
        name: "file",
        filename: "korjaus.csv",
        value: `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`,
      },
    ]);

    const upload = await fetch(`${proxy()}/api/v1/uploads`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: new Uint8Array(payload),
    });
    const answered = performance.now();

    expect(upload.status, await upload.clone().text()).toBe(200);
    expect(((await upload.json()) as { files: { status: string }[] }).files[0]?.status).toBe("loaded");
    const seen: number[] = [];
    for (const i of [0, 1]) {
      while (!(await releasesOf(replicaUrl(i))).includes(2)) {
        if (performance.now() - answered > 60_000) throw new Error(`replica ${i} did not get release 2`);
        await sleep(50);
      }
      seen.push(Math.round(performance.now() - answered));
    }
    // the figures measured for the README: from the upload's answer until each replica serves the release
    console.log(`release 2 served by the replicas ${seen.join(" ms and ")} ms after the upload answered`);
    const published = /"msg":"release snapshot published".*?"ms":(\d+)/g;
    const writerLog = servers[0]?.output() ?? "";
    console.log(
      `writer: snapshots written in ${[...writerLog.matchAll(published)].map((m) => `${m[1]} ms`).join(", ")}`,
    );
    for (const replica of replicas) {
      const switched = /"msg":"replica switched release".*?"ms":(\d+),"since_published_ms":(\d+)/.exec(
        replica.output(),
      );
      console.log(
        `replica: switched in ${switched?.[1]} ms, ${switched?.[2]} ms after the snapshot was published`,
      );
    }
    const [viaNginx, fromWriter] = await Promise.all([
      fetch(`${proxy()}${READS[0]}`).then((r) => r.text()),
      fetch(`http://127.0.0.1:${ports.writer}${READS[0]}`).then((r) => r.text()),
    ]);
    expect(viaNginx).toBe(fromWriter);
  });

  it("loses no request when a replica is killed mid-traffic, and the restarted replica rejoins", async () => {
    const failures: string[] = [];
    let answered = 0;
    let running = true;
    const client = async (n: number) => {
      for (let i = n; running; i++) {
        const url = `${proxy()}${READS[i % READS.length]}`;
        try {
          const response = await fetch(url);
          await response.arrayBuffer();
          if (response.status !== 200) failures.push(`${url}: ${response.status}`);
          answered++;
        } catch (error) {
          failures.push(`${url}: ${(error as Error).message}`);
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await sleep(1500);
    const killed = replicas[0];
    killed?.process.kill("SIGKILL");
    await sleep(2000);
    const restarted = startReplica(0);
    await untilUp(`${replicaUrl(0)}/readyz`);
    // nginx tries the replica again after fail_timeout (5 s): wait until it answers proxied requests
    const until = Date.now() + 30_000;
    while (!/"url":"\/(api|indikaattori|julkaisut)/.test(restarted.output()) && Date.now() < until)
      await sleep(200);
    running = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    expect(restarted.output()).toMatch(/"url":"\/(api|indikaattori|julkaisut)/);
  }, 120_000);
});
