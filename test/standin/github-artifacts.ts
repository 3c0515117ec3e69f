/**
 * A stand-in for GitHub's artifact service (the v4+ backend), for tests that drive the real `@actions/artifact`
 * (v6) against it. It is built on the results server of github-cache.ts (Twirp, blob storage, faults, request
 * log), as on GitHub both services live at ACTIONS_RESULTS_URL. The contract, from node_modules/@actions/artifact/lib:
 *
 * Environment (internal/shared/config.js): ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL (only its origin is used),
 *   GITHUB_SERVER_URL (anything but github.com, *.ghe.com or *.localhost is GHES, which the library refuses).
 * Backend ids (internal/shared/util.js getBackendIdsFromToken): the token is a JWT whose `scp` claim holds
 *   `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>` among space-separated scopes; every call
 *   carries those ids, and the service only accepts the ids of the token's run (and job, for writes).
 * Twirp (internal/shared/artifact-twirp-client.js, generated/results/api/v1/artifact.twirp-client.js):
 *   POST {origin}/twirp/github.actions.results.api.v1.ArtifactService/<Method>, `Authorization: Bearer <token>`,
 *   JSON with proto field names (int64 as strings, wrappers as bare values). The client tries 5 times on
 *   429/500/502/503/504 or an unparsable body, 3 s × 1.5ⁿ apart; other errors end the call at once, with the
 *   error's `msg` in the message.
 *   - CreateArtifact {workflow_run_backend_id, workflow_job_run_backend_id, name, version, mime_type, expires_at?}
 *     -> {ok: true, signed_upload_url} (upload/upload-artifact.js). A name already taken in the run, by any job,
 *     -> 409 {"code":"already_exists","msg":"an artifact with this name already exists on the workflow run"},
 *     GitHub's answer. An upload that never finalized keeps its name taken here: an assumption, as GitHub does
 *     not document it.
 *   - FinalizeArtifact {..ids, name, size, hash: "sha256:<hex>"} -> {ok: true, artifact_id}; the artifact is listed
 *     from then on. No pending artifact of that name -> 404 not_found; a size or hash that differs from the blob ->
 *     {ok: false} (the library throws on it).
 *   - ListArtifacts {..ids, name_filter?, id_filter?} -> {artifacts: [{workflow_run_backend_id,
 *     workflow_job_run_backend_id, database_id, name, size, created_at, digest}]}: the run's finalized artifacts,
 *     every job's (find/list-artifacts.js, find/get-artifact.js, delete/delete-artifact.js, download).
 *   - GetSignedArtifactURL {ids of the artifact, name} -> {signed_url}, a read URL (download/download-artifact.js).
 *   - DeleteArtifact {ids of the artifact, name} -> {ok: true, artifact_id}; the blob goes with it
 *     (delete/delete-artifact.js, which finds the ids with ListArtifacts first).
 * Blob upload (upload/blob-upload.js): BlockBlobClient.uploadStream always stages blocks (8 MiB buffers, Put Block
 *   `comp=block`), then Put Block List `comp=blocklist` with `x-ms-blob-content-type: application/zip`, which the
 *   blob serves back as Content-Type; the zip is the archiver stream of upload/zip.js. Download
 *   (download/download-artifact.js) is a plain GET of the signed URL that must answer 200, unzipped when the
 *   Content-Type is application/zip.
 *
 * Faults, mutable through `service.faults`: those of the results server (`unavailable`, `failUploads`,
 * `failDownloads`, `slowMs`), `failCreateArtifact` (the next N CreateArtifact calls answer 500) and `absent`
 * (ArtifactService calls answer bad_route 404, as a results service without it would).
 * Not modelled: run attempts (on GitHub a re-run gets a new workflow run backend id; reports differ on whether a
 * re-run sees, or collides with, the earlier attempt's artifacts), retention and expiry, the public REST API
 * (`findBy` options), Content-Disposition on downloads (only uploads with skipArchive need it).
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  type ResultsServerFaults,
  type StoredBlob,
  startResultsServer,
  takeFault,
  twirpError,
} from "./github-cache.js";

const ARTIFACT_SERVICE = "github.actions.results.api.v1.ArtifactService";
export const ARTIFACT_TWIRP_PREFIX = `/twirp/${ARTIFACT_SERVICE}/`;
const RESULTS_CONTAINER = "actions-results";

export interface ArtifactServiceFaults extends ResultsServerFaults {
  /** The next N CreateArtifact calls answer 500 internal (each is one of the library's 5 tries). */
  failCreateArtifact?: number;
  /** Every ArtifactService call answers Twirp bad_route (404), as a results service without it would. */
  absent?: boolean;
}

export interface ArtifactInfo {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>` of the stored zip. */
  digest: string;
  /** The workflow job run backend id of the job that uploaded it. */
  job: string;
}

export interface ArtifactService {
  /** Base URL, with the trailing slash the runner gives. */
  url: string;
  /** Environment for @actions/artifact in one job of the run: token, results URL, server URL. */
  env: Record<string, string>;
  /** The environment of another job of the same run (its own job backend id and token). */
  jobEnv(): Record<string, string>;
  /** Finalized artifacts of the run, oldest first. */
  artifacts(): ArtifactInfo[];
  /** Names of artifacts created but never finalized. */
  pending(): string[];
  faults: ArtifactServiceFaults;
  /** Every request, as `METHOD /path?query` (SAS parameters left out), in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

interface Artifact {
  id: number;
  job: string;
  name: string;
  /** Committed when the artifact is finalized. */
  blob: StoredBlob;
  digest?: string;
}

/** A runtime token as the runner mints it, as far as the library reads it: a JWT with an `scp` claim. */
function runtimeToken(run: string, job: string, secret: Buffer): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    scp: `Actions.GenericRead:${randomUUID()} Actions.Results:${run}:${job}`,
    iss: "vstoken.actions.githubusercontent.com",
    nbf: now,
    exp: now + 6 * 3600,
  };
  const unsigned = `${encode({ typ: "JWT", alg: "HS256" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

export async function startArtifactService(options: { faults?: ArtifactServiceFaults } = {}): Promise<ArtifactService> {
  const faults: ArtifactServiceFaults = { ...options.faults };
  const secret = randomBytes(32);
  const run = randomUUID();
  /** The job each token was minted for. */
  const jobs = new Map<string, string>();
  const artifacts: Artifact[] = [];
  let nextId = 1;
  const server = await startResultsServer({
    tempPrefix: "github-artifacts-standin-",
    authorizes: (bearer) => jobs.has(bearer),
    faults,
    twirp: { [ARTIFACT_SERVICE]: twirp },
  });

  const finalized = () => artifacts.filter((a) => a.blob.committed);
  const describe = (a: Artifact) => ({
    workflow_run_backend_id: run,
    workflow_job_run_backend_id: a.job,
    database_id: String(a.id),
    name: a.name,
    size: String(a.blob.size ?? 0),
    created_at: a.blob.createdAt.toISOString(),
    digest: a.digest,
  });

  async function twirp(method: string, body: Record<string, unknown>, bearer: string): Promise<unknown> {
    if (faults.absent) throw twirpError("bad_route", `no handler for path "${ARTIFACT_TWIRP_PREFIX}${method}"`);
    const callerJob = jobs.get(bearer);
    const field = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
    const job = field("workflow_job_run_backend_id");
    const name = field("name");
    if (field("workflow_run_backend_id") !== run) {
      throw twirpError("permission_denied", "the token does not grant access to this workflow run");
    }
    const own = () => {
      if (job !== callerJob) throw twirpError("permission_denied", "the token does not grant access to this job");
    };
    switch (method) {
      case "CreateArtifact": {
        own();
        if (!name) throw twirpError("invalid_argument", "name is required");
        if (takeFault(faults, "failCreateArtifact")) throw twirpError("internal", "internal server error");
        if (artifacts.some((a) => a.name === name)) {
          throw twirpError("already_exists", "an artifact with this name already exists on the workflow run");
        }
        const id = nextId++;
        const blob = server.createBlob(
          RESULTS_CONTAINER,
          `${run}/workflow-job-run-${job}/artifacts/${id}-${randomBytes(6).toString("hex")}`,
        );
        artifacts.push({ id, job, name, blob });
        return { ok: true, signed_upload_url: server.signedUrl(blob, "cw") };
      }
      case "FinalizeArtifact": {
        own();
        const artifact = artifacts.find((a) => a.job === job && a.name === name && !a.blob.committed);
        if (!artifact) throw twirpError("not_found", "artifact not found");
        const { blob } = artifact;
        if (blob.size === undefined || String(blob.size) !== String(body.size ?? "0")) {
          return { ok: false, artifact_id: "0" };
        }
        const sha256 = createHash("sha256")
          .update(await readFile(blob.file))
          .digest("hex");
        const hash = field("hash");
        if (hash && hash !== `sha256:${sha256}`) return { ok: false, artifact_id: "0" };
        artifact.digest = `sha256:${sha256}`;
        blob.committed = true;
        return { ok: true, artifact_id: String(artifact.id) };
      }
      case "ListArtifacts": {
        const idFilter = body.id_filter === undefined ? undefined : String(body.id_filter);
        const nameFilter = body.name_filter === undefined ? undefined : String(body.name_filter);
        const listed = finalized().filter(
          (a) =>
            (idFilter === undefined || String(a.id) === idFilter) &&
            (nameFilter === undefined || a.name === nameFilter),
        );
        return { artifacts: listed.map(describe) };
      }
      case "GetSignedArtifactURL": {
        const artifact = finalized().find((a) => a.job === job && a.name === name);
        if (!artifact) throw twirpError("not_found", "artifact not found");
        return { signed_url: server.signedUrl(artifact.blob, "r") };
      }
      case "DeleteArtifact": {
        const artifact = finalized().find((a) => a.job === job && a.name === name);
        if (!artifact) throw twirpError("not_found", "artifact not found");
        artifacts.splice(artifacts.indexOf(artifact), 1);
        await server.deleteBlob(artifact.blob);
        return { ok: true, artifact_id: String(artifact.id) };
      }
      default:
        throw twirpError("bad_route", `no handler for path "${ARTIFACT_TWIRP_PREFIX}${method}"`);
    }
  }

  function jobEnv(): Record<string, string> {
    const job = randomUUID();
    const token = runtimeToken(run, job, secret);
    jobs.set(token, job);
    return { GITHUB_SERVER_URL: "https://github.com", ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: server.url };
  }

  return {
    url: server.url,
    env: jobEnv(),
    jobEnv,
    artifacts: () =>
      finalized().map((a) => ({ id: a.id, name: a.name, size: a.blob.size ?? 0, digest: a.digest ?? "", job: a.job })),
    pending: () => artifacts.filter((a) => !a.blob.committed).map((a) => a.name),
    faults,
    requests: server.requests,
    close: server.close,
  };
}
