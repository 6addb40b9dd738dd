import type { FunctionTool, TextFormat, ToolChoice } from "./request-schema";

/**
 * The Responses API answer as this gateway produces it: the subset of OpenAI's `Response`
 * (openai SDK `resources/responses/responses.d.ts`) that chat completions can fill. The SDK
 * computes `output_text` itself from the `output_text` parts, so it is not on the wire.
 */

export type ResponseItemStatus = "in_progress" | "completed" | "incomplete";

interface ResponseOutputText {
  type: "output_text";
  text: string;
  annotations: never[];
  logprobs: never[];
}

interface ResponseRefusal {
  type: "refusal";
  refusal: string;
}

export interface ResponseMessageItem {
  id: string;
  type: "message";
  status: ResponseItemStatus;
  role: "assistant";
  content: (ResponseOutputText | ResponseRefusal)[];
}

export interface ResponseFunctionCallItem {
  id: string;
  type: "function_call";
  status: ResponseItemStatus;
  call_id: string;
  name: string;
  arguments: string;
}

export type ResponseOutputItem = ResponseMessageItem | ResponseFunctionCallItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  background: false;
  error: { code: "server_error"; message: string } | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  model: string;
  output: ResponseOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: null;
  reasoning: { effort: string | null; summary: null };
  store: false;
  temperature: number | null;
  text: { format: TextFormat };
  tool_choice: ToolChoice;
  tools: Required<FunctionTool>[];
  top_p: number | null;
  truncation: "disabled";
  usage: ResponseUsage | null;
  user: string | null;
}
