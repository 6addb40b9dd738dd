import { gzipSync } from "node:zlib";

export interface PageJs {
  path: string;
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
}

const SCRIPT_TAG = /<script\b[^>]*>/gi;
const SRC = /\ssrc="([^"]+)"/;

/**
 * The JavaScript a browser downloads to show `path` for the first time: every <script src>
 * of the server-rendered HTML except `noModule` polyfills (modern browsers skip them), fetched
 * and gzipped (level 9, as a CDN would serve it).
 */
export async function firstLoadJs(
  baseUrl: string,
  path: string,
  cookie: string | null,
  cache: Map<string, Buffer>,
): Promise<PageJs> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const res = await fetch(`${baseUrl}${path}`, { headers, redirect: "manual" });
  if (res.status !== 200) throw new Error(`GET ${path}: status ${res.status}`);
  const html = await res.text();
  const tags = [...html.matchAll(SCRIPT_TAG)].map((m) => m[0]);
  const sources = [
    ...new Set(
      tags
        .filter((tag) => !/\snomodule\b/i.test(tag))
        .map((tag) => SRC.exec(tag)?.[1])
        .filter((src) => src !== undefined),
    ),
  ];
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const src of sources) {
    let body = cache.get(src);
    if (!body) {
      const script = await fetch(new URL(src, baseUrl));
      if (script.status !== 200) throw new Error(`GET ${src}: status ${script.status}`);
      body = Buffer.from(await script.arrayBuffer());
      cache.set(src, body);
    }
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { path, scripts: sources.length, rawBytes, gzipBytes };
}
