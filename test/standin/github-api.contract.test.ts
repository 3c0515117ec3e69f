/**
 * Contract test: the GitHub REST API stand-in answers every endpoint the product calls the way GitHub's own
 * OpenAPI description (`@octokit/openapi`, api.github.com) says GitHub answers it. Tests cannot reach
 * api.github.com, so the stand-in is all the product is ever tested against: a field the stand-in leaves out or
 * types wrongly would let code pass that breaks on GitHub. The description is the contract GitHub publishes, so
 * each case calls an endpoint with Octokit exactly as the product does (src/publish/comment.ts,
 * src/publish/pull-request.ts, src/action/report.ts) and checks that (a) the status is one the operation
 * documents and (b) the JSON body matches the operation's response schema for that status, required fields
 * included. Error answers are checked as far as the description documents them (mostly `basic-error` and
 * `validation-error`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { getOctokit } from "@actions/github";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { type GithubApi, type GithubApiOptions, startGithubApi } from "./github-api.js";

type Schema = { [key: string]: unknown };
interface ResponseObject {
  $ref?: string;
  content?: { "application/json"?: { schema: Schema } };
}
interface OpenApi {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, ResponseObject> };
}

/** The id the components are added to ajv under; `#/components/…` refs are rewritten to point there. */
const SPEC_ID = "api.github.com";

const spec: OpenApi = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"),
);

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable: true` becomes a union with null (ajv's own `nullable`
 * support refuses it next to `enum` without null, and without `type`), and local refs name the added document.
 * `oneOf` is checked as `anyOf`: GitHub's alternatives overlap (a 409 body that is a `basic-error` is also a
 * `repository-rule-violation-error`, neither requires a field), so a body may match several.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    const converted =
      key === "$ref" && typeof value === "string" ? value.replace(/^#/, `${SPEC_ID}#`) : toJsonSchema(value);
    out[key === "oneOf" ? "anyOf" : key] = converted;
  }
  if (out.nullable !== true) return out;
  delete out.nullable;
  const composite = ["allOf", "anyOf", "oneOf", "$ref"].some((key) => key in out);
  if (typeof out.type !== "string" || composite) return { anyOf: [out, { type: "null" }] };
  return { ...out, type: [out.type, "null"], ...(Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {}) };
}

/** Every `format` the description uses; the ones the stand-in's answers could get wrong are checked. */
function formatsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (typeof node !== "object" || node === null) return found;
  for (const [key, value] of Object.entries(node)) {
    if (key === "format" && typeof value === "string") found.add(value);
    else formatsIn(value, found);
  }
  return found;
}

const FORMAT_CHECKS: Record<string, (value: string) => boolean> = {
  uri: (value) => URL.canParse(value),
  "date-time": (value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value),
};

const ajv = new Ajv({ strict: false, allErrors: true });
for (const format of formatsIn(spec.components.schemas)) ajv.addFormat(format, FORMAT_CHECKS[format] ?? true);
ajv.addSchema({ components: { schemas: toJsonSchema(spec.components.schemas) } }, SPEC_ID);

const validators = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(toJsonSchema(schema) as Schema);
    validators.set(key, validate);
  }
  return validate;
}

/** A response object, following a `$ref` to `#/components/responses/…`. */
function resolved(response: ResponseObject): ResponseObject {
  if (response.$ref === undefined) return response;
  const name = response.$ref.replace("#/components/responses/", "");
  return spec.components.responses[name] ?? {};
}

const describeError = (error: ErrorObject) =>
  `${error.instancePath || "(the body)"} ${error.message ?? error.keyword}${
    error.keyword === "additionalProperties" || error.keyword === "enum" ? ` ${JSON.stringify(error.params)}` : ""
  }`;

/**
 * Statuses GitHub answers that the description leaves out of an operation, by operation id. A comment that is
 * gone is 404 on GitHub too, and the product relies on it (two runs tidying up the same duplicate comment); the
 * body is checked as GitHub's `basic-error`.
 */
const UNDOCUMENTED: Record<string, Record<string, ResponseObject>> = {
  "issues/update-comment": { "404": { $ref: "#/components/responses/not_found" } },
  "issues/delete-comment": { "404": { $ref: "#/components/responses/not_found" } },
};

/** What is wrong with an answer to `METHOD /path/{template}`, by GitHub's description; empty when nothing. */
function violations(method: string, route: string, status: number, body: unknown): string[] {
  const operation = spec.paths[route]?.[method.toLowerCase()];
  if (operation === undefined) return [`${method} ${route} is not in GitHub's OpenAPI description`];
  const where = `${method} ${route} (${operation.operationId}) answered ${status}`;
  const documented = operation.responses[String(status)] ?? UNDOCUMENTED[operation.operationId]?.[String(status)];
  if (documented === undefined) {
    return [`${where}, a status it does not document (${Object.keys(operation.responses).join(", ")})`];
  }
  const schema = resolved(documented).content?.["application/json"]?.schema;
  if (schema === undefined) return [];
  const validate = validatorFor(`${method} ${route} ${status}`, schema);
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${where}: ${describeError(error)}`);
}

type Octokit = ReturnType<typeof getOctokit>;
/** An Octokit REST method: it knows its method and URL template, which are the description's. */
type RestMethod<P> = ((params: P) => Promise<{ status: number; data: unknown }>) & {
  endpoint: { DEFAULTS: { method: string; url: string } };
};

/** Calls `method` as the product does and checks the answer against the description; returns the body. */
async function expectFaithful<P>(method: RestMethod<P>, params: NoInfer<P>, status: number): Promise<unknown> {
  const answer = await method(params).catch((error: { status?: number; response?: { data: unknown } }) => {
    if (error.status === undefined) throw error;
    return { status: error.status, data: error.response?.data };
  });
  const { method: verb, url } = method.endpoint.DEFAULTS;
  expect(answer.status, `${verb} ${url}`).toBe(status);
  expect(violations(verb, url, answer.status, answer.data)).toEqual([]);
  return answer.data;
}

const OWNER = "acme";
const REPO = "voice";
const MAIN = "a".repeat(40);
const LOCK = "ollama.lock";
const repository = { owner: OWNER, repo: REPO };

const started: GithubApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function standIn(options: GithubApiOptions = {}): Promise<{ api: GithubApi; octokit: Octokit }> {
  const api = await startGithubApi({
    branches: {
      [`${OWNER}/${REPO}`]: { main: { sha: MAIN, files: { [LOCK]: "old\n", "models/a.modelfile": "FROM x\n" } } },
    },
    ...options,
  });
  started.push(api);
  return { api, octokit: getOctokit("token", { baseUrl: api.url }) };
}

const base64 = (text: string) => Buffer.from(text).toString("base64");
const TOO_LONG = "x".repeat(65_537);

describe("the GitHub API stand-in keeps to GitHub's OpenAPI description: issue comments", () => {
  const seeded = {
    comments: [
      { ...repository, issueNumber: 7, body: "<!-- marker -->\nours" },
      {
        ...repository,
        issueNumber: 7,
        body: "a maintainer's",
        user: { login: "maintainer", id: 583231, type: "User" as const },
        authorAssociation: "OWNER",
      },
    ],
  };

  it("lists, creates, updates and deletes comments", async () => {
    const { octokit, api } = await standIn(seeded);
    const rest = octokit.rest.issues;
    const listed = await expectFaithful(rest.listComments, { ...repository, issue_number: 7, per_page: 100 }, 200);
    expect(listed).toHaveLength(2);
    await expectFaithful(rest.createComment, { ...repository, issue_number: 7, body: "new" }, 201);
    const id = api.comments[0]?.id as number;
    await expectFaithful(rest.updateComment, { ...repository, comment_id: id, body: "edited" }, 200);
    await expectFaithful(rest.deleteComment, { ...repository, comment_id: id }, 204);
    await expectFaithful(rest.deleteComment, { ...repository, comment_id: id }, 404);
    await expectFaithful(rest.updateComment, { ...repository, comment_id: id, body: "gone" }, 404);
  });

  it("refuses a body over 65,536 characters with 422, and a read-only token with 403", async () => {
    const { octokit, api } = await standIn(seeded);
    const rest = octokit.rest.issues;
    const id = api.comments[0]?.id as number;
    await expectFaithful(rest.createComment, { ...repository, issue_number: 7, body: TOO_LONG }, 422);
    await expectFaithful(rest.updateComment, { ...repository, comment_id: id, body: TOO_LONG }, 422);
    api.setFaults({ readOnly: true });
    await expectFaithful(rest.createComment, { ...repository, issue_number: 7, body: "x" }, 403);
  });
});

describe("the GitHub API stand-in keeps to GitHub's OpenAPI description: git refs", () => {
  it("reads, creates, force-moves and deletes a branch", async () => {
    const { octokit } = await standIn();
    const git = octokit.rest.git;
    await expectFaithful(git.getRef, { ...repository, ref: "heads/main" }, 200);
    await expectFaithful(git.createRef, { ...repository, ref: "refs/heads/update/scratch", sha: MAIN }, 201);
    await expectFaithful(git.updateRef, { ...repository, ref: "heads/update/scratch", sha: MAIN, force: true }, 200);
    await expectFaithful(git.deleteRef, { ...repository, ref: "heads/update/scratch" }, 204);
  });

  it("answers 404 for a missing branch and 422 for one that exists already or is gone", async () => {
    const { octokit } = await standIn();
    const git = octokit.rest.git;
    await expectFaithful(git.getRef, { ...repository, ref: "heads/nope" }, 404);
    await expectFaithful(git.createRef, { ...repository, ref: "refs/heads/main", sha: MAIN }, 422);
    await expectFaithful(git.deleteRef, { ...repository, ref: "heads/nope" }, 422);
  });
});

describe("the GitHub API stand-in keeps to GitHub's OpenAPI description: contents", () => {
  it("reads a file and a folder, and answers 404 for a missing file or ref", async () => {
    const { octokit } = await standIn();
    const getContent = octokit.rest.repos.getContent;
    const file = await expectFaithful(getContent, { ...repository, path: LOCK, ref: "main" }, 200);
    expect(file).toMatchObject({ type: "file", path: LOCK });
    const folder = await expectFaithful(getContent, { ...repository, path: "models", ref: "main" }, 200);
    expect(folder).toEqual([expect.objectContaining({ type: "file", path: "models/a.modelfile" })]);
    await expectFaithful(getContent, { ...repository, path: "missing.lock", ref: "main" }, 404);
    await expectFaithful(getContent, { ...repository, path: LOCK, ref: "nope" }, 404);
  });

  it("commits a new and a changed file, and refuses a stale or missing sha and an unknown branch", async () => {
    const { octokit } = await standIn();
    const put = octokit.rest.repos.createOrUpdateFileContents;
    const file = (await octokit.rest.repos.getContent({ ...repository, path: LOCK, ref: "main" })).data;
    const sha = Array.isArray(file) ? "" : file.sha;
    const commit = { ...repository, path: LOCK, branch: "main", message: "m", content: base64("new\n") };
    await expectFaithful(put, { ...commit, path: "new.lock" }, 201);
    await expectFaithful(put, { ...commit, sha: "f".repeat(40) }, 409);
    await expectFaithful(put, commit, 422);
    await expectFaithful(put, { ...commit, sha, branch: "nope" }, 404);
    await expectFaithful(put, { ...commit, sha }, 200);
  });
});

describe("the GitHub API stand-in keeps to GitHub's OpenAPI description: pull requests", () => {
  /** A branch one commit ahead of main, as `upsertLockPullRequest` leaves it. */
  async function withBranch() {
    const setup = await standIn();
    const { octokit } = setup;
    await octokit.rest.git.createRef({ ...repository, ref: "refs/heads/update", sha: MAIN });
    await octokit.rest.repos.createOrUpdateFileContents({
      ...repository,
      path: "new.lock",
      branch: "update",
      message: "m",
      content: base64("new\n"),
    });
    return setup;
  }
  const open = { ...repository, head: "update", base: "main", title: "t", body: "b" };

  it("opens, lists, reads and updates a pull request", async () => {
    const { octokit } = await withBranch();
    const pulls = octokit.rest.pulls;
    await expectFaithful(pulls.list, { ...repository, head: `${OWNER}:update`, state: "open", per_page: 100 }, 200);
    const created = await expectFaithful(pulls.create, open, 201);
    expect(created).toMatchObject({ number: 1 });
    const listed = await expectFaithful(
      pulls.list,
      { ...repository, head: `${OWNER}:update`, state: "open", per_page: 100 },
      200,
    );
    expect(listed).toHaveLength(1);
    await expectFaithful(pulls.get, { ...repository, pull_number: 1 }, 200);
    await expectFaithful(pulls.update, { ...repository, pull_number: 1, title: "t2", body: "b2", base: "main" }, 200);
  });

  it("reads a pull request the stand-in was seeded with, as `command: report` does", async () => {
    const { octokit } = await standIn({
      pulls: { [`${OWNER}/${REPO}#7`]: { headSha: "b".repeat(40), baseSha: MAIN } },
    });
    const pull = await expectFaithful(octokit.rest.pulls.get, { ...repository, pull_number: 7 }, 200);
    expect(pull).toMatchObject({ head: { sha: "b".repeat(40) }, base: { sha: MAIN } });
    await expectFaithful(octokit.rest.pulls.get, { ...repository, pull_number: 8 }, 404);
  });

  it("refuses a second pull request, a body over 65,536 characters and a forbidden repository with 422 and 403", async () => {
    const { octokit, api } = await withBranch();
    const pulls = octokit.rest.pulls;
    await pulls.create(open);
    await expectFaithful(pulls.create, open, 422);
    await expectFaithful(
      pulls.update,
      { ...repository, pull_number: 1, title: "t", body: TOO_LONG, base: "main" },
      422,
    );
    api.setFaults({ pullRequestsForbidden: true });
    await expectFaithful(pulls.create, open, 403);
  });
});
