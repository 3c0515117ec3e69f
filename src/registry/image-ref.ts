/** Where an image repository lives: `ghcr.io/theo/models` → registry `https://ghcr.io`, repository `theo/models`. */

export interface ImageRepository {
  /** `ghcr.io`, `127.0.0.1:5000`, `registry-1.docker.io`. */
  host: string;
  /** The repository path on that registry. */
  path: string;
  /** The registry's API origin. */
  baseUrl: string;
  /** Whether the reference names its registry (or means Docker Hub by default). */
  explicitHost: boolean;
}

const DOMAIN_LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_REPOSITORY = new RegExp(
  `^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`,
  "i",
);

/** A repository in Docker's reference grammar, without tag or digest (case is normalised later). */
export function isImageRepository(text: string): boolean {
  return IMAGE_REPOSITORY.test(text);
}

/** A Docker image reference with an optional tag and digest: `ollama/ollama:0.32.15`, `…@sha256:<hex>`. */
const IMAGE_REFERENCE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/i;

/** Whether `text` is an image reference (and nothing else: it ends up on a Dockerfile's FROM line). */
export const isImageReference = (text: string) => IMAGE_REFERENCE.test(text);

/** `ghcr.io/theo/models:m-0123456789ab` → repository `ghcr.io/theo/models`, tag `m-0123456789ab`. */
export function splitImageReference(reference: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(":");
  // A colon before the last slash is a registry port (`127.0.0.1:5000/models`), not a tag.
  if (colon < 0 || colon < reference.lastIndexOf("/")) return { repository: reference, tag: "latest" };
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

export function parseImageRepository(image: string): ImageRepository {
  const [first = "", ...rest] = image.split("/");
  const hasHost = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasHost) {
    const path = rest.length === 0 ? `library/${first}` : image;
    return { host: "registry-1.docker.io", path, baseUrl: "https://registry-1.docker.io", explicitHost: false };
  }
  // Registries on the loopback interface speak plain HTTP, as dockerd assumes for them.
  const scheme = LOCAL_HOST.test(first) ? "http" : "https";
  return { host: first, path: rest.join("/"), baseUrl: `${scheme}://${first}`, explicitHost: true };
}
