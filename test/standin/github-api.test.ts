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
