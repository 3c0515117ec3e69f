import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import { type CommentOptions, type CommentTarget, upsertComment } from "../../src/publish/comment.js";
import { commentMarker, markerLine, renderReport } from "../../src/report/render.js";
import { caseReport, smokeReport } from "../report/fixtures.js";
import {
  type CommentAuthor,
  type GithubApi,
  type GithubApiOptions,
  type SeedComment,
  startGithubApi,
} from "../standin/github-api.js";

const TOKEN = "ghs_standin";
const target = (overrides: Partial<CommentTarget> = {}): CommentTarget => ({
  owner: "acme",
  repo: "voice",
  issueNumber: 42,
  marker: commentMarker(),
  body: `${markerLine(commentMarker())}\nreport`,
  ...overrides,
});
const seed = (body: string, overrides: Partial<SeedComment> = {}): SeedComment => ({
  owner: "acme",
  repo: "voice",
  issueNumber: 42,
  body,
  ...overrides,
});

const person = (login: string, authorAssociation: string, id = 1): CommentAuthor => ({
  user: { login, id, type: "User" },
  authorAssociation,
});
const stranger = person("mallory", "NONE", 666);
/** A comment anyone could post: the marker line, then whatever they like. */
const spoof = `${markerLine(commentMarker())}\n✅ All smoke cases passed`;

const started: GithubApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function setup(options: GithubApiOptions = {}) {
  const api = await startGithubApi({ token: TOKEN, ...options });
  started.push(api);
  // @actions/github's Octokit has no retry or throttling plugin: upsertComment's own retries are all there is.
  const octokit = getOctokit(TOKEN, { baseUrl: api.url });
  const log: string[] = [];
  const waits: number[] = [];
  const options_: CommentOptions = {
    log: (line) => log.push(line),
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  const upsert = (overrides: Partial<CommentTarget> = {}) => upsertComment(octokit, target(overrides), options_);
  return { api, octokit, upsert, log, waits };
}

const marked = (api: GithubApi, marker = commentMarker()) =>
  api.comments.filter((c) => c.body.startsWith(markerLine(marker)));
const requestLines = (api: GithubApi) => api.requests.map((r) => `${r.status} ${r.method} ${r.path}`);

describe("upsertComment", () => {
  it("creates the comment when there is none", async () => {
    const { api, upsert } = await setup({ comments: [seed("LGTM")] });
    const result = await upsert();
    expect(result).toMatchObject({ action: "created" });
    expect(marked(api)).toEqual([expect.objectContaining({ body: target().body, issueNumber: 42 })]);
    expect(result).toEqual({
      action: "created",
      id: marked(api)[0]?.id,
      url: `${api.url}/acme/voice/issues/42#issuecomment-${marked(api)[0]?.id}`,
    });
    expect(requestLines(api)).toEqual([
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100",
      "201 POST /repos/acme/voice/issues/42/comments",
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100",
    ]);
  });

  it("finds its comment on page 3 of 250 and updates it in place", async () => {
    const comments = Array.from({ length: 250 }, (_, i) =>
      seed(i === 230 ? `${markerLine(commentMarker())}\nold report` : `comment ${i}`),
    );
    const { api, upsert } = await setup({ comments });
    const ours = marked(api)[0];
    const result = await upsert({ body: `${markerLine(commentMarker())}\nnew report` });
    expect(result).toMatchObject({ action: "updated", id: ours?.id });
    expect(api.comments).toHaveLength(250);
    expect(marked(api).map((c) => c.body)).toEqual([`${markerLine(commentMarker())}\nnew report`]);
    expect(requestLines(api)).toEqual([
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100",
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100&page=2",
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100&page=3",
      `200 PATCH /repos/acme/voice/issues/comments/${ours?.id}`,
    ]);
  });

  it.each([
    ["an id's marker leaves the plain comment alone", commentMarker(), commentMarker("voice")],
    ["the plain marker leaves an id's comment alone", commentMarker("voice"), commentMarker()],
  ])("%s", async (_, existing, marker) => {
    const { api, upsert } = await setup({ comments: [seed(`${markerLine(existing)}\nother workflow`)] });
    const result = await upsert({ marker, body: `${markerLine(marker)}\nmine` });
    expect(result).toMatchObject({ action: "created" });
    expect(marked(api, existing).map((c) => c.body)).toEqual([`${markerLine(existing)}\nother workflow`]);
    expect(marked(api, marker).map((c) => c.body)).toEqual([`${markerLine(marker)}\nmine`]);
  });

  it("does not take a comment that quotes the marker for its own", async () => {
    const quoted = `> ${markerLine(commentMarker())}\n> report\n\nWhy is TTFT up?`;
    const { api, upsert } = await setup({ comments: [seed(quoted, { user: { login: "dev", id: 1, type: "User" } })] });
    expect(await upsert()).toMatchObject({ action: "created" });
    expect(api.comments.map((c) => c.body)).toEqual([quoted, target().body]);
  });

  it.each<["updated" | "created", string, Partial<CommentAuthor>]>([
    ["updated", "github-actions[bot] (the GITHUB_TOKEN)", {}],
    [
      "updated",
      "another app's bot",
      { user: { login: "acme-ci[bot]", id: 7, type: "Bot" }, authorAssociation: "NONE" },
    ],
    ["updated", "the owner (a personal token)", person("acme", "OWNER")],
    ["updated", "a member", person("maintainer", "MEMBER")],
    ["updated", "a collaborator", person("helper", "COLLABORATOR")],
    ["created", "a contributor", person("drive-by", "CONTRIBUTOR")],
    ["created", "a first-time contributor", person("newcomer", "FIRST_TIME_CONTRIBUTOR")],
    ["created", "a stranger", stranger],
  ])("answers %s to a marked comment by %s", async (action, _, author) => {
    const { api, upsert } = await setup({ comments: [seed(spoof, author)] });
    const [existing] = api.comments;
    const result = await upsert();
    expect(result.action).toBe(action);
    const writes = api.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    if (action === "updated") {
      expect(result).toMatchObject({ id: existing?.id });
      expect(api.comments.map((c) => c.body)).toEqual([target().body]);
      expect(writes).toEqual([`PATCH /repos/acme/voice/issues/comments/${existing?.id}`]);
    } else {
      expect(api.comments.map((c) => c.body)).toEqual([spoof, target().body]);
      expect(writes).toEqual(["POST /repos/acme/voice/issues/42/comments"]);
    }
  });

  it("leaves a stranger's marked comment alone run after run, updating its own", async () => {
    const line = markerLine(commentMarker());
    const { api, upsert } = await setup({ comments: [seed(spoof, stranger)] });
    const first = await upsert({ body: `${line}\nrun 1` });
    const second = await upsert({ body: `${line}\nrun 2` });
    expect(first).toMatchObject({ action: "created" });
    expect(second).toEqual({ ...first, action: "updated" });
    expect(api.comments.map((c) => [c.user.login, c.body])).toEqual([
      ["mallory", spoof],
      ["github-actions[bot]", `${line}\nrun 2`],
    ]);
  });

  it("puts the marker line first when the body lacks it", async () => {
    const { api, upsert } = await setup();
    await upsert({ body: "just a report" });
    expect(api.comments.map((c) => c.body)).toEqual([`${markerLine(commentMarker())}\njust a report`]);
  });

  it.each<[number, string, CommentAuthor | undefined]>([
    [2, "the GITHUB_TOKEN", undefined],
    [5, "the GITHUB_TOKEN", undefined],
    [3, "a maintainer's personal token", person("maintainer", "MEMBER")],
  ])("leaves exactly one comment after %i concurrent upserts with %s", async (runs, _, author) => {
    // The delay makes every run list before any has created.
    const { api, upsert } = await setup({ faults: { delayMs: 20 }, ...(author && { author }) });
    const results = await Promise.all(
      Array.from({ length: runs }, (_, i) => upsert({ body: `${markerLine(commentMarker())}\nrun ${i}` })),
    );
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(runs);
    const [survivor, ...others] = marked(api);
    expect(others).toEqual([]);
    expect(results.map((r) => ("id" in r ? r.id : r.reason))).toEqual(Array(runs).fill(survivor?.id));
    expect(results.filter((r) => r.action === "created")).toHaveLength(1);
  });

  it("removes duplicates an earlier race left behind, keeping the oldest and a stranger's", async () => {
    const line = markerLine(commentMarker());
    const { api, upsert } = await setup({
      comments: [seed(spoof, stranger), seed(`${line}\nfirst`), seed("chat"), seed(`${line}\nsecond`)],
    });
    const [spoofId, oldest, chatId] = api.comments.map((c) => c.id);
    expect(await upsert()).toMatchObject({ action: "updated", id: oldest });
    expect(api.comments.map((c) => [c.id, c.body])).toEqual([
      [spoofId, spoof],
      [oldest, target().body],
      [chatId, "chat"],
    ]);
  });

  it.each<[string, GithubApiOptions, RegExp]>([
    [
      "a fork's read-only token (403)",
      { faults: { readOnly: true } },
      /^cannot comment on #42: GitHub answered 403 \(Resource not accessible by integration - .*\); a pull request from a fork gets a read-only token/,
    ],
    [
      "a repository the token cannot see (404)",
      { repositories: ["acme/other"] },
      /^cannot list the comments of #42: GitHub answered 404 .*the token cannot see the repository$/,
    ],
  ])("skips without throwing on %s", async (_, options, reason) => {
    const { api, upsert, waits } = await setup(options);
    const result = await upsert();
    expect(result.action).toBe("skipped");
    expect(result.action === "skipped" ? result.reason : "").toMatch(reason);
    expect(api.comments).toEqual([]);
    expect(waits).toEqual([]);
  });

  it("skips an update a read-only token may not make", async () => {
    const { api, upsert } = await setup({ comments: [seed(target().body)], faults: { readOnly: true } });
    expect(await upsert({ body: `${markerLine(commentMarker())}\nnew` })).toMatchObject({ action: "skipped" });
    expect(api.comments.map((c) => c.body)).toEqual([target().body]);
  });

  it("retries server errors, waiting 1 s then 3 s", async () => {
    const { api, upsert, log, waits } = await setup({ faults: { serverErrors: 2 } });
    expect(await upsert()).toMatchObject({ action: "created" });
    expect(waits).toEqual([1_000, 3_000]);
    expect(requestLines(api).slice(0, 3)).toEqual([
      "502 GET /repos/acme/voice/issues/42/comments?per_page=100",
      "502 GET /repos/acme/voice/issues/42/comments?per_page=100",
      "200 GET /repos/acme/voice/issues/42/comments?per_page=100",
    ]);
    expect(log[0]).toMatch(
      /^GitHub API: list the comments of #42 failed \(Server Error.*\); attempt 2 of 3 in 1000 ms$/,
    );
    expect(marked(api)).toHaveLength(1);
  });

  it("gives up after three attempts at a server that keeps failing", async () => {
    const { api, upsert, waits } = await setup({ faults: { serverErrors: Number.POSITIVE_INFINITY } });
    const result = await upsert();
    expect(result).toMatchObject({ action: "skipped" });
    expect(result.action === "skipped" ? result.reason : "").toMatch(
      /^cannot list the comments of #42: GitHub answered 502/,
    );
    expect(api.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("keeps a created comment when the check for a concurrent duplicate fails", async () => {
    const { api, octokit, upsert, log } = await setup();
    // The first listing and the creation go through; everything after fails.
    octokit.hook.after("request", (_, request) => {
      if (request.method === "POST") api.setFaults({ serverErrors: Number.POSITIVE_INFINITY });
    });
    expect(await upsert()).toMatchObject({ action: "created" });
    expect(marked(api)).toHaveLength(1);
    expect(log.at(-1)).toMatch(/^warning: could not check for a concurrent duplicate comment: cannot list/);
  });

  it("retries a network failure, then skips", async () => {
    const api = await startGithubApi();
    const url = api.url;
    await api.stop();
    const waits: number[] = [];
    const result = await upsertComment(getOctokit(TOKEN, { baseUrl: url }), target(), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(result).toMatchObject({ action: "skipped" });
    expect(waits).toEqual([1_000, 3_000]);
  });

  it("posts a huge rendered report, which GitHub's length limit accepts", async () => {
    const why = "a long reason ".repeat(1_000);
    const head = smokeReport({
      passed: false,
      cases: Array.from({ length: 2_000 }, (_, i) => caseReport({ id: `case-${i}`, passed: false, failures: [why] })),
    });
    const { api, upsert } = await setup();
    expect(await upsert({ body: renderReport({ head, marker: commentMarker() }) })).toMatchObject({
      action: "created",
    });
    expect(marked(api)[0]?.body).toContain("✂️ Cut to fit");
  });

  it("skips a body over GitHub's length limit", async () => {
    const { api, upsert } = await setup();
    const result = await upsert({ body: "x".repeat(70_000) });
    expect(result.action === "skipped" ? result.reason : "").toMatch(
      /^cannot comment on #42: GitHub answered 422 \(Validation Failed: \{"resource":"IssueComment",.*"message":"Body is too long \(maximum is 65536 characters\)"/,
    );
    expect(api.comments).toEqual([]);
  });

  it("sends the token", async () => {
    const api = await startGithubApi({ token: TOKEN });
    started.push(api);
    const result = await upsertComment(getOctokit("wrong", { baseUrl: api.url }), target(), { retryDelaysMs: [] });
    expect(result.action === "skipped" ? result.reason : "").toMatch(/GitHub answered 401 \(Bad credentials/);
  });
});
