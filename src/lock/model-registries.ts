/** Where base models come from: one registry client per host, the configured mirror for Ollama's own. */
import { DEFAULT_REGISTRY_HOST } from "../project/model-ref.js";
import { type Credentials, RegistryClient } from "../registry/client.js";

export interface OllamaRegistryAccess {
  /** Base URL used for `registry.ollama.ai` references (a mirror or a test registry). */
  defaultRegistryUrl: string;
  credentials?: Credentials;
  log?: (message: string) => void;
}

/**
 * One client per registry host; `registry.ollama.ai` may be redirected to a mirror. The credentials were given
 * for the configured registry (`ollama-registry`): only a client of that origin gets them, whatever host a
 * Modelfile or ollama.lock names.
 */
export function ollamaRegistryClients(access: OllamaRegistryAccess): (host: string) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  const configured = new URL(access.defaultRegistryUrl).origin;
  return (host) => {
    let client = clients.get(host);
    if (client === undefined) {
      const baseUrl = host === DEFAULT_REGISTRY_HOST ? access.defaultRegistryUrl : `https://${host}`;
      const ours = new URL(baseUrl).origin === configured;
      client = new RegistryClient({
        baseUrl,
        ...(access.credentials === undefined || !ours ? {} : { credentials: access.credentials }),
        ...(access.log === undefined ? {} : { log: access.log }),
      });
      clients.set(host, client);
    }
    return client;
  };
}
