/** OpenAI-compatible upstreams take the key as a bearer token. */
export function bearerAuth(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}
