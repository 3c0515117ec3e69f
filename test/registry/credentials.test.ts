/** Credentials go to the origin they were given for, and nowhere else a Modelfile, a lock or a registry names. */
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { ollamaRegistryClients } from "../../src/lock/model-registries.js";
import { AuthenticationError, RegistryClient, sameSite } from "../../src/registry/client.js";

import { localServer } from "../local-server.js";

const credentials = { username: "theo", password: "s3cret-not-for-you" };

/** A server that records every request's headers and answers with `answer`. */
async function recordingServer(
  answer: (url: string, respond: (status: number, headers: object, body?: string) => void) => void,
) {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const { url } = await localServer((request, response) => {
    seen.push({ url: request.url ?? "", headers: request.headers });
    answer(request.url ?? "", (status, headers, body) => {
      response.writeHead(status, headers as Record<string, string>);
      response.end(body);
    });
  });
  return { url, seen };
}

describe("model-registry credentials", () => {
  it("only the client of the configured registry gets them, whatever host a FROM or a lock names", async () => {
    const clientFor = ollamaRegistryClients({ defaultRegistryUrl: "http://127.0.0.1:5000", credentials });
    // A Basic challenge is answered only by a client that has credentials: the way to see who has them.
    await expect(clientFor("registry.ollama.ai").authenticate('Basic realm="x"', "s")).resolves.toBeUndefined();
    await expect(clientFor("127.0.0.2:5057").authenticate('Basic realm="x"', "s")).rejects.toThrow(AuthenticationError);
    await expect(clientFor("evil.example").authenticate('Basic realm="x"', "s")).rejects.toThrow(/needs credentials/);
  });

  it("a token service on another origin gets no password; the registry's own origin does", async () => {
    const tokens = await recordingServer((_, respond) => respond(200, {}, JSON.stringify({ token: "t" })));
    const registry = new RegistryClient({ baseUrl: "http://127.0.0.1:1", credentials });
    await registry.authenticate(`Bearer realm="${tokens.url}/token",service="x"`, "repository:a:pull");
    expect(tokens.seen).toHaveLength(1);
    expect(tokens.seen[0]?.headers.authorization).toBeUndefined();

    const own = new RegistryClient({ baseUrl: tokens.url, credentials });
    await own.authenticate(`Bearer realm="${tokens.url}/token"`, "repository:a:pull");
    expect(tokens.seen[1]?.headers.authorization).toBe(
      `Basic ${Buffer.from("theo:s3cret-not-for-you").toString("base64")}`,
    );
  });

  it.each([
    ["https://auth.docker.io/token", "https://registry-1.docker.io", true],
    ["https://ghcr.io/token", "https://ghcr.io", true],
    ["https://evil.example/token", "https://ghcr.io", false],
    ["http://auth.docker.io/token", "https://registry-1.docker.io", false],
    ["https://127.0.0.2/token", "https://127.0.0.1", false],
  ])("the token service %s belongs to %s: %s", (realm, registry, expected) => {
    expect(sameSite(new URL(realm), new URL(registry))).toBe(expected);
  });

  it("a token service's answer is read up to a limit, and must hold a token", async () => {
    const big = await recordingServer((_, respond) => respond(200, { "content-length": String(64 * 1024 * 1024) }, ""));
    const client = new RegistryClient({ baseUrl: big.url });
    await expect(client.authenticate(`Bearer realm="${big.url}/t"`, "s")).rejects.toThrow(/more than the \d+ allowed/);
    const empty = await recordingServer((_, respond) => respond(200, {}, JSON.stringify({ token: "a\nb" })));
    await expect(
      new RegistryClient({ baseUrl: empty.url }).authenticate(`Bearer realm="${empty.url}/t"`, "s"),
    ).rejects.toThrow(/returned no token/);
  });
});
