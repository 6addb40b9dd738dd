// The same rule as the gateway's pre-flight estimate (packages/providers token-estimate): about
// four characters per token; used only when an upstream reports no usage.
const CHARS_PER_TOKEN = 4;

export const estimateTextTokens = (chars: number): number => Math.ceil(chars / CHARS_PER_TOKEN);
