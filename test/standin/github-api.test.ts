/** The GitHub API stand-in answers like GitHub where Octokit depends on it: pagination links, errors. */
import { afterEach, describe, expect, it } from "vitest";
import { type GithubApi, startGithubApi } from "./github-api.js";

const started: GithubApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function withComments(count: number) {
  const api = await startGithubApi({
    comments: Array.from({ length: count }, (_, i) => ({ owner: "o", repo: "r", issueNumber: 1, body: `c${i}` })),
  });
  started.push(api);
  return api;
}

describe("github-api stand-in", () => {
  const link = (page: number, rel: string, perPage = 10) =>
    `<URL/repos/o/r/issues/1/comments?per_page=${perPage}&page=${page}>; rel="${rel}"`;

  it.each<[string, string, number, string | null]>([
    ["the first page", "?per_page=10", 10, `${link(2, "next")}, ${link(3, "last")}`],
    [
      "a middle page",
      "?per_page=10&page=2",
      10,
      `${link(1, "prev")}, ${link(3, "next")}, ${link(3, "last")}, ${link(1, "first")}`,
    ],
    ["the last page", "?per_page=10&page=3", 5, `${link(2, "prev")}, ${link(1, "first")}`],
    ["the default page size of 30", "", 25, null],
    ["past the last page", "?per_page=10&page=9", 0, `${link(3, "prev")}, ${link(1, "first")}`],
    ["per_page capped at 100", "?per_page=500", 25, null],
  ])("paginates %s like GitHub", async (_, query, count, expected) => {
    const api = await withComments(25);
    const response = await fetch(`${api.url}/repos/o/r/issues/1/comments${query}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(count);
    expect(response.headers.get("link")).toBe(expected?.replaceAll("URL", api.url) ?? null);
  });

  it.each<[string, RequestInit & { path: string }, number, string]>([
    [
      "a write while read-only",
      { path: "/repos/o/r/issues/1/comments", method: "POST", body: '{"body":"x"}' },
      403,
      "Resource not accessible by integration",
    ],
    [
      "an unknown comment",
      { path: "/repos/o/r/issues/comments/7", method: "PATCH", body: '{"body":"x"}' },
      404,
      "Not Found",
    ],
    [
      "a body that is not JSON",
      { path: "/repos/o/r/issues/1/comments", method: "POST", body: "{" },
      400,
      "Problems parsing JSON",
    ],
  ])("answers %s", async (_, { path, ...init }, status, message) => {
    const api = await withComments(0);
    if (status === 403) api.setFaults({ readOnly: true });
    const response = await fetch(`${api.url}${path}`, init);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ message, status: String(status) });
    expect(api.requests).toEqual([expect.objectContaining({ method: init.method, path, status })]);
  });

  it("answers 502 for the next N requests, then recovers", async () => {
    const api = await withComments(1);
    api.setFaults({ serverErrors: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${api.url}/repos/o/r/issues/1/comments`)).status);
    expect(statuses).toEqual([502, 502, 200]);
  });
});

describe("github-api stand-in: refs, contents and pull requests", () => {
  const MAIN = "a".repeat(40);
  async function withRepository() {
    const api = await startGithubApi({
      branches: {
        "o/r": { main: { sha: MAIN, files: { "ollama.lock": "hello\n", "models/a.modelfile": "FROM x\n" } } },
      },
    });
    started.push(api);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
    };
    return { api, call };
  }
  const base64 = (text: string) => Buffer.from(text).toString("base64");
  /** `git hash-object` of "hello\n". */
  const HELLO_BLOB = "ce013625030ba8dba906f756967f9e9ca394464a";

  it("answers refs as git does: create, fast-forward only unless forced, delete", async () => {
    const { api, call } = await withRepository();
    expect(await call("GET", "/repos/o/r/git/ref/heads%2Fmain")).toMatchObject({
      status: 200,
      json: { ref: "refs/heads/main", object: { sha: MAIN, type: "commit" } },
    });
    expect(await call("GET", "/repos/o/r/git/ref/heads/nope")).toMatchObject({ status: 404 });
    expect(await call("POST", "/repos/o/r/git/refs", { ref: "refs/heads/x/y", sha: MAIN })).toMatchObject({
      status: 201,
    });
    for (const [body, message] of [
      [{ ref: "refs/heads/x/y", sha: MAIN }, "Reference already exists"],
      [{ ref: "refs/heads/z", sha: "f".repeat(40) }, "Object does not exist"],
      [{ ref: "heads/z", sha: MAIN }, "ref must start with 'refs/' and have at least two slashes."],
    ] as const) {
      expect(await call("POST", "/repos/o/r/git/refs", body)).toMatchObject({ status: 422, json: { message } });
    }
    // A commit on x/y, then main moved there (a fast forward), then x/y back to main's old commit (not one).
    const put = await call("PUT", "/repos/o/r/contents/ollama.lock", {
      message: "m",
      content: base64("new\n"),
      sha: HELLO_BLOB,
      branch: "x/y",
    });
    const next = put.json.commit.sha as string;
    expect(await call("PATCH", "/repos/o/r/git/refs/heads%2Fmain", { sha: next })).toMatchObject({ status: 200 });
    expect(await call("PATCH", "/repos/o/r/git/refs/heads%2Fx%2Fy", { sha: MAIN })).toMatchObject({
      status: 422,
      json: { message: "Update is not a fast forward" },
    });
    expect(await call("PATCH", "/repos/o/r/git/refs/heads%2Fx%2Fy", { sha: MAIN, force: true })).toMatchObject({
      status: 200,
      json: { object: { sha: MAIN } },
    });
    expect(await call("PATCH", "/repos/o/r/git/refs/heads/gone", { sha: MAIN, force: true })).toMatchObject({
      status: 422,
      json: { message: "Reference does not exist" },
    });
    expect(await call("DELETE", "/repos/o/r/git/refs/heads%2Fx%2Fy")).toMatchObject({ status: 204 });
    expect(await call("DELETE", "/repos/o/r/git/refs/heads%2Fx%2Fy")).toMatchObject({
      status: 422,
      json: { message: "Reference does not exist" },
    });
    expect([...api.repository("o/r").refs.keys()]).toEqual(["heads/main"]);
  });

  it("answers contents with git blob SHAs, and refuses a missing or stale sha", async () => {
    const { api, call } = await withRepository();
    const file = await call("GET", "/repos/o/r/contents/ollama.lock");
    expect(file).toMatchObject({ status: 200, json: { type: "file", encoding: "base64", sha: HELLO_BLOB, size: 6 } });
    expect(Buffer.from(file.json.content, "base64").toString()).toBe("hello\n");
    expect(await call("GET", "/repos/o/r/contents/models")).toMatchObject({
      status: 200,
      json: [{ type: "file", name: "a.modelfile", path: "models/a.modelfile" }],
    });
    expect(await call("GET", "/repos/o/r/contents/ollama.lock?ref=nope")).toMatchObject({
      status: 404,
      json: { message: "No commit found for the ref nope" },
    });
    expect(await call("GET", "/repos/o/r/contents/missing")).toMatchObject({ status: 404 });
    const put = (body: Record<string, unknown>) =>
      call("PUT", "/repos/o/r/contents/ollama.lock", { message: "m", content: base64("two\n"), ...body });
    expect(await put({ branch: "nope", sha: "0" })).toMatchObject({
      status: 404,
      json: { message: "Branch nope not found" },
    });
    expect(await put({})).toMatchObject({
      status: 422,
      json: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' },
    });
    expect(await put({ sha: "f".repeat(40) })).toMatchObject({
      status: 409,
      json: { message: `ollama.lock does not match ${"f".repeat(40)}` },
    });
    const updated = await put({ sha: HELLO_BLOB });
    expect(updated).toMatchObject({ status: 200, json: { commit: { parents: [{ sha: MAIN }] } } });
    expect(api.fileAt("o/r", "main", "ollama.lock")).toBe("two\n");
    expect(api.fileAt("o/r", MAIN, "ollama.lock")).toBe("hello\n");
    // The sha that was right is stale now; a new file ignores it.
    expect(await put({ sha: HELLO_BLOB })).toMatchObject({ status: 409 });
    expect(
      await call("PUT", "/repos/o/r/contents/sub/new.txt", { message: "m", content: base64("n"), sha: "x" }),
    ).toMatchObject({ status: 201, json: { content: { path: "sub/new.txt" } } });
  });

  it("opens one pull request per head and base, filters by owner:branch, and closes one left without commits", async () => {
    const { api, call } = await withRepository();
    await call("POST", "/repos/o/r/git/refs", { ref: "refs/heads/feature", sha: MAIN });
    const open = { title: "t", head: "feature", base: "main", body: "b" };
    expect(await call("POST", "/repos/o/r/pulls", open)).toMatchObject({
      status: 422,
      json: { message: "Validation Failed", errors: [{ message: "No commits between main and feature" }] },
    });
    await call("PUT", "/repos/o/r/contents/ollama.lock", {
      message: "m",
      content: base64("two\n"),
      sha: HELLO_BLOB,
      branch: "feature",
    });
    api.setFaults({ pullRequestsForbidden: true });
    expect(await call("POST", "/repos/o/r/pulls", open)).toMatchObject({
      status: 403,
      json: { message: "GitHub Actions is not permitted to create or approve pull requests." },
    });
    api.setFaults({ pullRequestsForbidden: false });
    expect(await call("POST", "/repos/o/r/pulls", open)).toMatchObject({
      status: 201,
      json: {
        number: 1,
        state: "open",
        head: { ref: "feature", label: "o:feature" },
        base: { ref: "main", sha: MAIN },
      },
    });
    expect(await call("POST", "/repos/o/r/pulls", { ...open, head: "o:feature" })).toMatchObject({
      status: 422,
      json: {
        errors: [{ resource: "PullRequest", code: "custom", message: "A pull request already exists for o:feature." }],
      },
    });
    expect(await call("POST", "/repos/o/r/pulls", { ...open, head: "nope" })).toMatchObject({
      status: 422,
      json: { errors: [{ field: "head", code: "invalid" }] },
    });
    expect(await call("POST", "/repos/o/r/pulls", { ...open, body: "x".repeat(65_537) })).toMatchObject({
      status: 422,
    });
    expect((await call("GET", "/repos/o/r/pulls?head=o%3Afeature")).json).toHaveLength(1);
    expect((await call("GET", "/repos/o/r/pulls?head=o%3Aother")).json).toHaveLength(0);
    expect((await call("GET", "/repos/o/r/pulls?head=other")).json).toHaveLength(1);
    expect(await call("PATCH", "/repos/o/r/pulls/1", { title: "t2", body: "b2" })).toMatchObject({
      status: 200,
      json: { title: "t2", body: "b2", state: "open" },
    });
    // Reset onto its base, the pull request has no commit left: GitHub closes it.
    await call("PATCH", "/repos/o/r/git/refs/heads/feature", { sha: MAIN, force: true });
    expect(api.pullRequests[0]?.state).toBe("closed");
    expect((await call("GET", "/repos/o/r/pulls?head=o%3Afeature")).json).toHaveLength(0);
    expect((await call("GET", "/repos/o/r/pulls?head=o%3Afeature&state=closed")).json).toHaveLength(1);
    expect(await call("GET", "/repos/o/r/pulls/1")).toMatchObject({ status: 200, json: { state: "closed" } });
  });

  it("closes an open pull request whose head branch is deleted", async () => {
    const { api, call } = await withRepository();
    await call("POST", "/repos/o/r/git/refs", { ref: "refs/heads/f", sha: MAIN });
    await call("PUT", "/repos/o/r/contents/x", { message: "m", content: base64("x"), branch: "f" });
    await call("POST", "/repos/o/r/pulls", { title: "t", head: "f", base: "main" });
    expect(api.pullRequests.map((p) => p.state)).toEqual(["open"]);
    await call("DELETE", "/repos/o/r/git/refs/heads/f");
    expect(api.pullRequests.map((p) => p.state)).toEqual(["closed"]);
  });
});
