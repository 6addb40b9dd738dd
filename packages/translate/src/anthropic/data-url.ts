interface DataUrl {
  mediaType: string;
  /** The payload as base64 (a percent-encoded payload is re-encoded). */
  base64: string;
}

const DATA_URL = /^data:([^,;]*)((?:;[^,;=]+=[^,;]*)*)(;base64)?,(.*)$/is;

/** Splits a `data:` URL (RFC 2397); null when `url` is not one. */
export function parseDataUrl(url: string): DataUrl | null {
  const match = DATA_URL.exec(url);
  if (!match) return null;
  const mediaType = (match[1] || "text/plain").toLowerCase();
  const payload = match[4] ?? "";
  if (match[3]) return { mediaType, base64: payload };
  let text: string;
  try {
    text = decodeURIComponent(payload);
  } catch {
    text = payload;
  }
  return { mediaType, base64: Buffer.from(text, "utf8").toString("base64") };
}

export function toDataUrl(mediaType: string, base64: string): string {
  return `data:${mediaType};base64,${base64}`;
}
