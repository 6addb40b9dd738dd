import "server-only";
import { z } from "zod";

/** Which gateway API the playground calls: chat completions, the Responses API, embeddings. */
const PLAYGROUND_MODES = ["chat", "responses", "embeddings"] as const;
export type PlaygroundMode = (typeof PLAYGROUND_MODES)[number];

export const PlaygroundInputSchema = z.object({
  mode: z.enum(PLAYGROUND_MODES).default("chat"),
  chain: z.string().trim().min(1, "pick a chain"),
  prompt: z
    .string()
    .trim()
    .min(1, "type a prompt")
    .max(32_000, "keep the prompt under 32,000 characters"),
});
export type PlaygroundInput = z.infer<typeof PlaygroundInputSchema>;
