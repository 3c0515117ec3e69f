/** The registry client against registries that fail: every failure is one line naming the request and the cause. */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { resolveLockEntry } from "../../src/lock/resolve.js";
import { parseModelRef } from "../../src/project/model-ref.js";
import { RegistryClient } from "../../src/registry/client.js";
import { localServer } from "../local-server.js";

const registry = async (answer: (url: string, response: ServerResponse) => void) =>
  (await localServer((request, response) => answer(request.url ?? "", response))).url;

const client = (baseUrl: string) => new RegistryClient({ baseUrl, attempts: 2, backoffMs: 1, timeoutMs: 300 });

describe("a registry that fails", () => {
  it("refused: the URL and ECONNREFUSED, after the retries", async () => {
    const closed = await localServer(() => {});
    closed.close();
    const url = closed.url;
    await expect(client(url).headManifest("theo/models", "m-1")).rejects.toThrow(
      /^HEAD http:\/\/127\.0\.0\.1:\d+\/v2\/theo\/models\/manifests\/m-1 failed: connect ECONNREFUSED/,
    );
  });

  it("a 5xx that lasts: retried, then its status and its text", async () => {
    let requests = 0;
    const url = await registry((_, response) => {
      requests++;
      response.writeHead(503).end("down for maintenance");
    });
    await expect(client(url).getManifest("library/qwen3", "4b")).rejects.toThrow(
      "GET library/qwen3/manifests/4b: HTTP 503 down for maintenance",
    );
    expect(requests).toBe(2);
  });

  it("no answer at all (a stall before the headers): ends at the time limit", async () => {
    const url = await registry(() => {});
    await expect(client(url).getManifest("library/qwen3", "4b")).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/library\/qwen3\/manifests\/4b failed: no answer within 300 ms$/,
    );
  });

  it("a manifest that is not JSON is refused when the lock is made, naming the model", async () => {
    const url = await registry((_, response) => response.writeHead(200).end("<html>not a manifest</html>"));
    await expect(resolveLockEntry(client(url), parseModelRef("qwen3:4b"))).rejects.toThrow(
      /library\/qwen3:4b: the manifest is not JSON$/,
    );
  });
});
