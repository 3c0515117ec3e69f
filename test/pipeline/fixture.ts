/** A pipeline over a test project, with options a test overrides where it matters. */
import os from "node:os";
import path from "node:path";
import type { RunContext } from "../../src/github/context.js";
import { runProcess } from "../../src/io/exec.js";
import type { PipelineOptions } from "../../src/pipeline/options.js";
import { Pipeline } from "../../src/pipeline/pipeline.js";
import { openWorkspace } from "../../src/project/workspace.js";

export interface TestPipelineOptions extends Partial<PipelineOptions> {
  /** The run context every stage sees (default: nothing known, no repository). */
  context?: RunContext;
}

export function testPipeline(root: string, options: TestPipelineOptions = {}): Pipeline {
  const { context, ...overrides } = options;
  const run = overrides.run ?? runProcess;
  return new Pipeline({
    run,
    openWorkspace: () => openWorkspace(run, { cwd: root, root }),
    runContext: async () => context ?? { source: {} },
    log: () => {},
    warn: () => {},
    stage: (_, work) => work(),
    store: path.join(root, ".store"),
    tempDir: os.tmpdir(),
    imageRegistryLogin: async () => undefined,
    push: "auto",
    layerCache: false,
    pinMissingBaseModels: false,
    paired: "auto",
    minEffect: 0.05,
    failOnWarnings: false,
    smoke: { displayRoot: root },
    ...overrides,
  });
}
