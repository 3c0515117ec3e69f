/** The minimal HTTP/1.1 GET for blob bodies, against a server that writes its answers byte by byte. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PrematureCloseError, type RawGetOptions, rawGet, UnexpectedLengthError } from "../../src/fetch/raw-http.js";

const servers: net.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A server that hands each request's head (up to the blank line) and its socket to `answer`. */
async function serve(answer: (socket: net.Socket, head: string) => void): Promise<URL> {
  const server = net.createServer((socket) => {
    let received = "";
    socket.on("error", () => {});
    socket.on("data", (data) => {
      received += data.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end >= 0 && received !== "") {
        answer(socket, received.slice(0, end));
        received = "";
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v2/library/m/blobs/sha256:ab?x=1`);
}

/** rawGet with a recorder for what reaches onHead and onBody (pieces are copied: their memory is reused). */
function get(url: URL, options: Partial<RawGetOptions> = {}) {
  const heads: number[] = [];
  const pieces: Buffer[] = [];
  const result = rawGet(url, {
    headers: {},
    idleTimeoutMs: 2_000,
    expectedLength: () => 5,
    onHead: (status) => heads.push(status),
    onBody: (piece) => pieces.push(Buffer.from(piece)),
    ...options,
  });
  return { result, heads, body: () => Buffer.concat(pieces).toString("latin1"), pieces };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("rawGet: a 2xx with a Content-Length is read", () => {
  it("sends a plain GET with the caller's headers, and delivers the body to onBody", async () => {
    let request = "";
    const url = await serve((socket, head) => {
      request = head;
      socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Thing:  spaced \r\n\r\nhello");
    });
    const { result, heads, body } = get(url, { headers: { range: "bytes=0-", authorization: "Bearer t" } });
    const response = await result;
    expect(response).toEqual({
      status: 200,
      headers: new Map([
        ["content-length", "5"],
        ["x-thing", "spaced"],
      ]),
      bodyRead: true,
    });
    expect(heads).toEqual([200]);
    expect(body()).toBe("hello");
    expect(request.split("\r\n")).toEqual([
      "GET /v2/library/m/blobs/sha256:ab?x=1 HTTP/1.1",
      `Host: ${url.host}`,
      "Connection: close",
      "Accept-Encoding: identity",
      "range: bytes=0-",
      "authorization: Bearer t",
    ]);
  });

  it("a head and body that arrive in pieces, and bytes past the Content-Length, which are left out", async () => {
    const url = await serve(async (socket) => {
      for (const part of ["HTTP/1.1 206 Partial Content\r\nContent-", "Length: 5\r\n", "\r\nhe", "l", "lo and more"]) {
        socket.write(part);
        await tick();
      }
      socket.end();
    });
    const { result, heads, body } = get(url, { expectedLength: (status) => (status === 206 ? 5 : 100) });
    expect((await result).status).toBe(206);
    expect(heads).toEqual([206]);
    expect(body()).toBe("hello");
  });

  it("an empty body: onHead, and done", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    const { result, heads, pieces } = get(url, { expectedLength: () => 0 });
    expect((await result).bodyRead).toBe(true);
    expect(heads).toEqual([200]);
    expect(pieces).toEqual([]);
  });
});

describe("rawGet: anything else comes back unread", () => {
  it.each([
    [
      "a redirect",
      "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://cdn.invalid/b\r\nContent-Length: 0\r\n\r\n",
      307,
    ],
    ["a chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n", 200],
    ["a body without a Content-Length", "HTTP/1.0 200 OK\r\n\r\nhello", 200],
    ["an error", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 404],
  ])("%s", async (_, answer, status) => {
    const url = await serve((socket) => socket.write(answer));
    const { result, heads, pieces } = get(url);
    const response = await result;
    expect([response.status, response.bodyRead]).toEqual([status, false]);
    expect(heads).toEqual([]);
    expect(pieces).toEqual([]);
  });
});

describe("rawGet: failures", () => {
  it("a Content-Length other than the one due: nothing of the body is taken", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!"));
    const { result, heads, pieces } = get(url);
    await expect(result).rejects.toThrow(UnexpectedLengthError);
    await expect(result).rejects.toThrow(`${url.origin} announced "6" bytes where 5 are due`);
    expect([heads, pieces]).toEqual([[], []]);
  });

  it("a Content-Length that is no number", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello"));
    await expect(get(url).result).rejects.toThrow(`${url.origin} announced "5x" bytes where 5 are due`);
  });

  it("the connection closes before the answer, or before the end of the body", async () => {
    const early = await serve((socket) => socket.end());
    await expect(get(early).result).rejects.toThrow(
      new PrematureCloseError(`${early.origin} closed the connection before answering`),
    );
    const midway = await serve((socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe"));
    const { result, body } = get(midway);
    await expect(result).rejects.toThrow(
      new PrematureCloseError(`${midway.origin} closed the connection with 3 bytes to go`),
    );
    expect(body()).toBe("he");
  });

  it("not HTTP", async () => {
    const url = await serve((socket) => socket.write("SSH-2.0-OpenSSH\r\n\r\n"));
    await expect(get(url).result).rejects.toThrow('not an HTTP response: "SSH-2.0-OpenSSH"');
  });

  it("headers that never end", async () => {
    const url = await serve((socket) => socket.write(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70 * 1024)}`));
    await expect(get(url).result).rejects.toThrow(`${url.origin}: response headers too large`);
  });

  it("silence: no data for the idle time", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe"));
    await expect(get(url, { idleTimeoutMs: 100 }).result).rejects.toThrow("no data for 100 ms");
  });

  it("an abort, before or during the request: the signal's reason", async () => {
    const url = await serve(() => {});
    const controller = new AbortController();
    const { result } = get(url, { signal: controller.signal });
    controller.abort(new Error("deadline"));
    await expect(result).rejects.toThrow("deadline");
    await expect(get(url, { signal: AbortSignal.abort("no error") }).result).rejects.toThrow("aborted");
  });

  it("onBody failing (a full disk): that error", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    const onBody = () => {
      throw new Error("ENOSPC");
    };
    await expect(get(url, { onBody }).result).rejects.toThrow("ENOSPC");
  });

  it("onHead failing (the partial file cannot be opened): that error", async () => {
    const url = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    const onHead = () => {
      throw new Error("EACCES");
    };
    const { result, pieces } = get(url, { onHead });
    await expect(result).rejects.toThrow("EACCES");
    expect(pieces).toEqual([]);
  });
});
