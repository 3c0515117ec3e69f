/** The repository's own workflows: third-party actions pinned to a commit, and no fork code on trusted runners. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const repositoryRoot = path.resolve(import.meta.dirname, "..");
const workflowsDir = path.join(repositoryRoot, ".github/workflows");
const workflows = readdirSync(workflowsDir)
  .filter((f) => f.endsWith(".yml"))
  .map((file) => ({ file, text: readFileSync(path.join(workflowsDir, file), "utf8") }));
const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");

describe("workflows", () => {
  it.each([...workflows, { file: "README.md", text: readme }])(
    "%s pins every action from elsewhere to a commit SHA, with its version in a comment",
    ({ text }) => {
      const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map(([, ref = "", rest = ""]) => ({
        ref,
        rest,
      }));
      expect(uses.length).toBeGreaterThan(0);
      for (const { ref, rest } of uses) {
        // Our own action (./ or theo/ollama-build) is the thing being released; everything else is pinned.
        if (ref.startsWith("./") || ref.startsWith("theo/ollama-build@")) continue;
        expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, ref).toMatch(/^\s+# v\d+\.\d+\.\d+$/);
      }
    },
  );

  it("no job that runs on a self-hosted runner or a variable's runner takes a fork's pull request", () => {
    for (const { file, text } of workflows) {
      const workflow = parse(text) as { on?: unknown; jobs: Record<string, { "runs-on": unknown; if?: string }> };
      const onPullRequests = JSON.stringify(workflow.on ?? {}).includes("pull_request");
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const runsOn = JSON.stringify(job["runs-on"]);
        if (!onPullRequests || !(runsOn.includes("self-hosted") || runsOn.includes("vars."))) continue;
        expect(job.if, `${file}: ${name}`).toContain(
          "github.event.pull_request.head.repo.full_name == github.repository",
        );
      }
    }
  });
});
