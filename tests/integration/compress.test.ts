import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chooseEncoding, compressWhole } from "../../scripts/lib/compress.ts";

// A real node:http server answering the ways Next does (headers then chunks then end, writeHead with headers,
// flushHeaders before the first chunk), behind compressWhole; real clients (node:http, fetch) on loopback.
const page = `<!DOCTYPE html><html><body>${"<tr><td>SY-100001</td><td>Awaiting fulfilment</td></tr>".repeat(400)}</body></html>`;
let server: http.Server;
let base: string;
let csvReleased: () => void = () => {};
let endCallbacks = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    compressWhole(req, res);
    const url = req.url ?? "/";
    if (url === "/page") {
      // As Next pipes a rendered page: headers set, flushHeaders, many small writes, flushes, then end.
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Vary", "rsc, next-router-state-tree");
      res.flushHeaders();
      for (let i = 0; i < page.length; i += 700) res.write(page.slice(i, i + 700));
      res.end();
    } else if (url === "/rsc") {
      res.writeHead(200, { "Content-Type": "text/x-component", "Cache-Control": "no-store" });
      res.end(Buffer.from(page));
      if (!res.writableEnded) res.end(); // as some code does; must not cut the compressed answer short
    } else if (url === "/small") {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ ok: true }));
    } else if (url === "/not-modified") {
      res.statusCode = 304;
      res.setHeader("Content-Type", "text/html");
      res.end();
    } else if (url === "/part") {
      // A range of a static file, as Next's static server answers one.
      res.writeHead(206, { "Content-Type": "text/javascript", "Content-Range": `bytes 0-1999/${page.length}`, "Content-Length": 2000 });
      res.end(page.slice(0, 2000));
    } else if (url === "/no-transform") {
      res.setHeader("Content-Type", "text/html");
      res.setHeader("Cache-Control", "no-store, no-transform");
      res.end(page);
    } else if (url === "/csv") {
      // A streamed export: the first rows must reach the client before the last are written.
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.write("number,amount\n");
      res.write("SY-1,100\n".repeat(200));
      csvReleased = () => res.end("SY-2,200\n");
    } else if (url === "/callback") {
      res.setHeader("Content-Type", "text/plain");
      res.end(page, () => (endCallbacks += 1));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; chunks: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts), chunks: parts.length }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("compression of answers (scripts/lib/compress.ts)", () => {
  test("a page written in many chunks goes out as one compressed body: brotli when accepted, else gzip, Vary kept and extended", async () => {
    const br = await get("/page", { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("rsc, next-router-state-tree, Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(page);
    // Compressed whole, far smaller than the page and than one deflate block per chunk would be.
    expect(br.body.length).toBeLessThan(page.length / 20);
    const gz = await get("/page", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(page);
    // Refused with q=0, or not asked for: sent as written.
    for (const ae of ["gzip;q=0, br;q=0", "identity", ""]) {
      const plain = await get("/page", ae ? { "accept-encoding": ae } : {});
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.toString()).toBe(page);
    }
  });

  test("fetch (undici) reads every kind of answer as the app wrote it", async () => {
    for (const path of ["/page", "/rsc", "/callback"]) {
      const res = await fetch(base + path, { headers: { "accept-encoding": "br, gzip" } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(page);
    }
    expect(endCallbacks).toBe(1); // end's callback still runs once the compressed body is sent
    const rsc = await get("/rsc", { "accept-encoding": "gzip" });
    expect(rsc.headers).toMatchObject({ "content-encoding": "gzip", "content-type": "text/x-component", "cache-control": "no-store" });
  });

  test("small answers, 304s, ranges (206), no-transform answers and HEAD requests are not compressed", async () => {
    const small = await get("/small", { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ ok: true });
    expect(Number(small.headers["content-length"])).toBe(small.body.length);
    const notModified = await get("/not-modified", { "accept-encoding": "br" });
    expect(notModified.status).toBe(304);
    expect(notModified.headers["content-encoding"]).toBeUndefined();
    expect(notModified.body.length).toBe(0);
    const part = await get("/part", { "accept-encoding": "br", range: "bytes=0-1999" });
    expect(part.status).toBe(206);
    expect(part.headers["content-encoding"]).toBeUndefined();
    expect(part.body.toString()).toBe(page.slice(0, 2000));
    const untouched = await get("/no-transform", { "accept-encoding": "br" });
    expect(untouched.headers["content-encoding"]).toBeUndefined();
    expect(untouched.body.toString()).toBe(page);
    const head = await get("/page", { "accept-encoding": "br" }, "HEAD");
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  test("a streamed export is not held: its first rows arrive before its last is written, uncompressed", async () => {
    const first = await new Promise<{ early: string; rest: Promise<string>; encoding: string | undefined }>((resolve, reject) => {
      const req = http.get(base + "/csv", { headers: { "accept-encoding": "br, gzip" } }, (res) => {
        let text = "";
        let resolved = false;
        const rest = new Promise<string>((done) => res.on("end", () => done(text)));
        res.on("data", (d: Buffer) => {
          text += d.toString();
          if (!resolved && text.includes("SY-1,100")) {
            resolved = true;
            resolve({ early: text, rest, encoding: res.headers["content-encoding"] });
          }
        });
      });
      req.on("error", reject);
    });
    expect(first.encoding).toBeUndefined();
    expect(first.early).not.toContain("SY-2");
    csvReleased();
    expect(await first.rest).toMatch(/SY-2,200\n$/);
  });

  test("the encoding is chosen from Accept-Encoding with its weights", () => {
    expect(chooseEncoding("gzip, deflate, br")).toBe("br");
    expect(chooseEncoding("gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("br;q=0.1, gzip")).toBe("gzip"); // the client's own order of preference
    expect(chooseEncoding("br;q=0.8, gzip;q=0.8")).toBe("br");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("*;q=0")).toBeNull();
    expect(chooseEncoding("deflate")).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });
});
