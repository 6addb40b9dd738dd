import type { Chain } from "@429chain/contracts";
import type { PlaygroundMode } from "../../server/playground/playground-input";

export interface PlaygroundChain {
  name: string;
  kind: Chain["kind"];
}

/** The playground's modes, each with the kind of chain it can call. */
export const MODE_OPTIONS: readonly {
  mode: PlaygroundMode;
  label: string;
  kind: Chain["kind"];
}[] = [
  { mode: "chat", label: "Chat completions", kind: "chat" },
  { mode: "responses", label: "Responses API", kind: "chat" },
  { mode: "embeddings", label: "Embeddings", kind: "embeddings" },
];

const kindOfMode = (mode: PlaygroundMode): Chain["kind"] =>
  MODE_OPTIONS.find((m) => m.mode === mode)!.kind;

/** The chains a mode can call, and which to preselect: the default chain when it fits. */
export function chainsForMode(
  chains: readonly PlaygroundChain[],
  mode: PlaygroundMode,
  defaultChain: string | null,
): { names: string[]; selected: string } {
  const names = chains.filter((c) => c.kind === kindOfMode(mode)).map((c) => c.name);
  const selected = defaultChain && names.includes(defaultChain) ? defaultChain : (names[0] ?? "");
  return { names, selected };
}
