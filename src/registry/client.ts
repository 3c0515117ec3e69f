/**
 * A client for the OCI distribution API, used both for Ollama's model registry (manifests and blobs by
 * digest) and for the image registry the build pushes to (does a tag exist, copy a manifest to new tags).
 * All HTTP goes through one `fetch` seam. Credentials go only to the registry's own origin and to the token
 * service it names; they never appear in errors or logs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { errorText, MAX_JSON_BYTES, readCappedBytes, readCappedText } from "../io/http.js";
import { causeChain } from "../text/errors.js";

export type Fetch = typeof globalThis.fetch;

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryOptions {
  /** `https://registry.ollama.ai`, `http://127.0.0.1:5000`: scheme, host and port, no path. */
  baseUrl: string;
  credentials?: Credentials;
  fetch?: Fetch;
  /** Attempts for one request, transient failures (network, 429, 5xx) included. */
  attempts?: number;
  /** The first backoff; it doubles per attempt, with jitter. */
  backoffMs?: number;
  /** A response's headers must arrive within this time. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

export class AuthenticationError extends RegistryError {}

export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

const isTransient = (status: number) => status === 429 || status === 408 || status >= 500;

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://auth",service="registry",scope="repository:x:pull"` → scheme and params. */
function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? "").matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(param[1] as string).toLowerCase()] = (param[2] ?? param[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: (match[1] as string).toLowerCase(), params };
}

export interface ManifestResponse {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
}

export class RegistryClient {
  /** The registry's origin: scheme, host and port. */
  readonly baseUrl: string;
  private readonly fetchImpl: Fetch;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly log: (message: string) => void;
  /** The Authorization header value (Basic, or a Bearer token) per token scope. */
  private readonly authorizations = new Map<string, string>();

  constructor(private readonly options: RegistryOptions) {
    const url = new URL(options.baseUrl);
    this.baseUrl = url.origin;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.log = options.log ?? (() => {});
  }

  private url(path: string): string {
    return `${this.baseUrl}/v2/${path}`;
  }

  /**
   * One request with authentication, manual redirects (credentials stay on the registry's origin) and
   * retries on transient failures. Returns the final response; callers check its status.
   */
  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Uint8Array; scope: string; signal?: AbortSignal } = { scope: "" },
  ): Promise<Response> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) {
        const delay = this.backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() / 2);
        this.log(
          `retrying ${method} ${this.url(path)} in ${Math.round(delay)} ms (attempt ${attempt} of ${this.attempts})`,
        );
        await sleep(delay);
      }
      try {
        const response = await this.send(method, this.url(path), init);
        if (!isTransient(response.status) || attempt === this.attempts) return response;
        lastError = new RegistryError(`${method} ${this.url(path)}: HTTP ${response.status}`, response.status);
        await response.body?.cancel();
      } catch (error) {
        if (error instanceof AuthenticationError) throw error;
        if (init.signal?.aborted) throw error;
        lastError = error;
      }
    }
    if (lastError instanceof RegistryError) throw lastError;
    const timedOut = (lastError as Error | undefined)?.name === "TimeoutError";
    throw new RegistryError(
      `${method} ${this.url(path)} failed: ${timedOut ? `no answer within ${this.timeoutMs} ms` : describe(lastError)}`,
    );
  }

  private async send(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: Uint8Array; scope: string; signal?: AbortSignal },
  ): Promise<Response> {
    let target = url;
    let authorized = false;
    for (let hop = 0; hop < 10; hop++) {
      const sameOrigin = new URL(target).origin === this.baseUrl;
      const headers: Record<string, string> = { ...init.headers };
      const authorization = this.authorizations.get(init.scope);
      if (sameOrigin && authorization !== undefined) headers.authorization = authorization;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const response = await this.fetchImpl(target, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        redirect: "manual",
        signal: init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]),
      });
      if (response.status === 401 && sameOrigin && !authorized) {
        await response.body?.cancel();
        await this.authenticate(response.headers.get("www-authenticate"), init.scope);
        authorized = true;
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        const who = this.options.credentials ? ` as ${this.options.credentials.username}` : " (no credentials given)";
        throw new AuthenticationError(
          `${this.baseUrl} refused ${method} ${new URL(target).pathname}${who}: HTTP ${response.status}`,
          response.status,
        );
      }
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        target = new URL(location, target).toString();
        continue;
      }
      return response;
    }
    throw new RegistryError(`too many redirects from ${url}`);
  }

  /** The URL of a blob on this registry. */
  blobUrl(repository: string, digest: string): URL {
    return new URL(this.url(`${repository}/blobs/${digest}`));
  }

  /** The Authorization header value obtained for a scope, if any (for requests made outside `fetch`). */
  authorizationFor(scope: string): string | undefined {
    return this.authorizations.get(scope);
  }

  /** Answers a 401's challenge (Basic, or a Bearer token from the realm) for a scope. */
  async authenticate(header: string | null, scope: string): Promise<void> {
    const challenge = header === null ? undefined : parseChallenge(header);
    const credentials = this.options.credentials;
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`
      : undefined;
    if (challenge?.scheme === "basic") {
      if (basic === undefined) throw new AuthenticationError(`${this.baseUrl} needs credentials (HTTP 401)`, 401);
      this.authorizations.set(scope, basic);
      return;
    }
    if (challenge?.scheme !== "bearer" || challenge.params.realm === undefined) {
      throw new AuthenticationError(`${this.baseUrl} answered 401 without a usable challenge`, 401);
    }
    const realm = new URL(challenge.params.realm);
    if (challenge.params.service) realm.searchParams.set("service", challenge.params.service);
    const wanted = scope || challenge.params.scope;
    if (wanted) realm.searchParams.set("scope", wanted);
    // The credentials were given for this registry: its token service gets them only when it is the registry's
    // own origin, or another host of the registry's domain over https (auth.docker.io for registry-1.docker.io).
    const trusted = sameSite(realm, new URL(this.baseUrl));
    const response = await this.fetchImpl(realm, {
      headers: basic === undefined || !trusted ? {} : { authorization: basic },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      const who = credentials ? ` as ${credentials.username}` : "";
      throw new AuthenticationError(
        `the token service of ${this.baseUrl} refused${who}: HTTP ${response.status}`,
        response.status,
      );
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(await readCappedText(response, MAX_JSON_BYTES, `the token service of ${this.baseUrl}`));
    } catch (error) {
      throw new AuthenticationError(`the token service of ${this.baseUrl} answered badly: ${(error as Error).message}`);
    }
    const token = body?.token ?? body?.access_token;
    if (typeof token !== "string" || token === "" || /[\r\n]/.test(token)) {
      throw new AuthenticationError(`the token service of ${this.baseUrl} returned no token`);
    }
    this.authorizations.set(scope, `Bearer ${token}`);
  }

  async getManifest(repository: string, reference: string, accept = MANIFEST_MEDIA_TYPES): Promise<ManifestResponse> {
    const response = await this.request("GET", `${repository}/manifests/${reference}`, {
      headers: { accept: accept.join(", ") },
      scope: `repository:${repository}:pull`,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError(`${this.baseUrl}: ${repository}:${reference} not found`, 404);
    }
    if (!response.ok) throw await statusError(response, `GET ${repository}/manifests/${reference}`);
    const bytes = await readCappedBytes(response, MAX_JSON_BYTES, `GET ${this.baseUrl} ${repository}:${reference}`);
    const digest = `sha256:${await sha256Hex(bytes)}`;
    const announced = response.headers.get("docker-content-digest");
    if (announced !== null && announced !== digest && !reference.startsWith("sha256:")) {
      throw new RegistryError(
        `${this.baseUrl}: ${repository}:${reference} announced ${announced} but its bytes hash to ${digest}`,
      );
    }
    return { bytes, digest, mediaType: response.headers.get("content-type")?.split(";")[0] ?? "" };
  }

  /** The manifest's digest, or undefined when the reference does not exist. */
  async headManifest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request("HEAD", `${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_MEDIA_TYPES.join(", ") },
      scope: `repository:${repository}:pull`,
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw await statusError(response, `HEAD ${repository}/manifests/${reference}`);
    return response.headers.get("docker-content-digest") ?? (await this.getManifest(repository, reference)).digest;
  }

  async putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<void> {
    const response = await this.request("PUT", `${repository}/manifests/${reference}`, {
      headers: { "content-type": mediaType },
      body: bytes,
      scope: `repository:${repository}:pull,push`,
    });
    if (!response.ok) throw await statusError(response, `PUT ${repository}/manifests/${reference}`);
    await response.body?.cancel();
  }

  /** The blob's size, or undefined when the registry does not have it. */
  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const response = await this.request("HEAD", `${repository}/blobs/${digest}`, {
      scope: `repository:${repository}:pull`,
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw await statusError(response, `HEAD ${repository}/blobs/${digest}`);
    return Number(response.headers.get("content-length") ?? "0");
  }

  /** Starts a blob download at byte `from` (206 when the registry honours the range, 200 when it restarts). */
  async getBlob(repository: string, digest: string, from: number, signal?: AbortSignal): Promise<Response> {
    const response = await this.request("GET", `${repository}/blobs/${digest}`, {
      headers: from > 0 ? { range: `bytes=${from}-` } : {},
      scope: `repository:${repository}:pull`,
      ...(signal === undefined ? {} : { signal }),
    });
    if (!response.ok) throw await statusError(response, `GET ${repository}/blobs/${digest}`);
    return response;
  }

  /** Monolithic upload (POST then PUT), for small blobs and for seeding test registries. */
  async putBlob(repository: string, digest: string, bytes: Uint8Array): Promise<void> {
    const scope = `repository:${repository}:pull,push`;
    if ((await this.headBlob(repository, digest)) !== undefined) return;
    const started = await this.request("POST", `${repository}/blobs/uploads/`, { scope });
    if (started.status !== 202) throw await statusError(started, `POST ${repository}/blobs/uploads/`);
    await started.body?.cancel();
    const location = new URL(started.headers.get("location") ?? "", this.baseUrl);
    location.searchParams.set("digest", digest);
    const path = location.toString().slice(`${this.baseUrl}/v2/`.length);
    const finished = await this.request("PUT", path, {
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
      scope,
    });
    if (finished.status !== 201) throw await statusError(finished, `PUT ${repository}/blobs/${digest}`);
    await finished.body?.cancel();
  }
}

async function statusError(response: Response, what: string): Promise<RegistryError> {
  const text = await errorText(response);
  return new RegistryError(`${what}: HTTP ${response.status}${text === "" ? "" : ` ${text}`}`, response.status);
}

/**
 * Whether a token service is the registry's own: the same origin, or https on a host of the same domain (the
 * last two labels; an IP address or a single label only as itself).
 */
export function sameSite(realm: URL, registry: URL): boolean {
  if (realm.origin === registry.origin) return true;
  if (realm.protocol !== "https:" || registry.protocol !== "https:") return false;
  const domain = (host: string) => (/^[\d.]+$|^\[|^[^.]+$/.test(host) ? host : host.split(".").slice(-2).join("."));
  return domain(realm.hostname) === domain(registry.hostname);
}

/** The root cause: a code such as ECONNRESET, or its message. */
function describe(error: unknown): string {
  return causeChain(error).at(-1) ?? String(error);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Buffer.from(digest).toString("hex");
}
