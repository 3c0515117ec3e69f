/**
 * The action's JSON reports as a workflow artifact (@actions/artifact), to download from the run's page or in a
 * later job. Reporting never turns a build red: every failure (no artifact service here, a name conflict, an
 * outage) is a warning that names the artifact and says why, and the result is undefined.
 *
 * The same name twice in one workflow run (a second step, another job, a re-run that sees the earlier upload):
 * GitHub keeps artifact names unique within a run and refuses a second CreateArtifact with 409 "an artifact with
 * this name already exists on the workflow run". @actions/artifact v6 has no overwrite option; what
 * upload-artifact's `overwrite: true` does is delete the existing artifact first, and so does this: the newest
 * report replaces the older one under the caller's name (with a new artifact id), so a consumer that looks the
 * name up finds the latest. Jobs that upload at the same moment can still collide (one of them warns): a caller
 * that runs in parallel jobs gives each job its own name.
 */
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

/** Uploads `files` (paths under `rootDirectory`, which the zip's paths are relative to) as the artifact `name`. */
export async function uploadReports(
  name: string,
  files: string[],
  rootDirectory: string,
): Promise<{ id?: number; size?: number } | undefined> {
  const client = new DefaultArtifactClient();
  try {
    // Listing first, rather than deleting blindly: deleting a name that does not exist is a library warning.
    const { artifacts } = await client.listArtifacts();
    if (artifacts.some((artifact) => artifact.name === name)) await client.deleteArtifact(name);
    const { id, size } = await client.uploadArtifact(name, files, rootDirectory);
    return { id, size };
  } catch (error) {
    core.warning(`artifact ${name} was not uploaded: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
