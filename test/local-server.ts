/**
 * HTTP servers on 127.0.0.1 for tests that need a server to misbehave on cue. Each is closed, connections and
 * all, after the test that opened it (a stalled answer would otherwise keep the worker alive).
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

const open: Server[] = [];
afterEach(() => {
  for (const server of open.splice(0)) closeServer(server);
});

function closeServer(server: Server): void {
  server.closeAllConnections();
  server.close();
}

export interface LocalServer {
  url: string;
  /** Closes it now: its port then refuses connections. */
  close(): void;
}

/** A server answering every request with `handle`, closed after the current test. */
export async function localServer(handle: RequestListener): Promise<LocalServer> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}
