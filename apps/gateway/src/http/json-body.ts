/** Deepest nesting of objects and arrays a request body may have. */
const MAX_JSON_DEPTH = 64;

/** A request body the gateway refuses before parsing it; the message names what is wrong. */
export class BodyRejectedError extends Error {
  readonly statusCode = 400;
}

/**
 * Whether a JSON text nests objects/arrays deeper than `max`. One pass over the characters,
 * skipping strings, so a hostile body costs linear time and no recursion.
 */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 125 || c === 93) {
      depth -= 1;
    }
  }
  return false;
}

/** Parses a request body as JSON (whatever its content type); empty is undefined. */
export function parseJsonBody(text: string): unknown {
  if (text === "") return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BodyRejectedError(
      `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  return JSON.parse(text);
}
