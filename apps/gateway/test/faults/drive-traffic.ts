import OpenAI, { APIConnectionError, APIError } from "openai";
import { TEST_KEY } from "../harness";

/** A number is the HTTP status; the others mean the client got no usable answer. */
export type Answer = number | "stream_error" | "no_answer";

export interface RequestResult {
  /** Index of the gateway URL the request went to. */
  replica: number;
  stream: boolean;
  /** The phase current when the request started (set by the test: "before", "outage"…). */
  phase: string;
  answer: Answer;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

export interface Traffic {
  /** Requests started from now on are labelled with `phase`. */
  setPhase(phase: string): void;
  /** Answered requests so far, in `phase` if given, that got a 200. */
  served(phase?: string): number;
  /** Stops sending, waits for the requests in flight and returns every result. */
  stop(): Promise<RequestResult[]>;
}

export interface TrafficOptions {
  urls: string[];
  model: string;
  /** The SDK gives up after this long: a hang shows as "no_answer", never as a stuck test. */
  clientTimeoutMs: number;
  lanes?: number;
  /** Every `streamEvery`-th request is streamed. */
  streamEvery?: number;
}

function answerOf(err: unknown): Answer {
  if (err instanceof APIError && typeof err.status === "number") return err.status;
  if (err instanceof APIConnectionError) return "no_answer";
  // The SDK throws a status-less APIError for an error event inside a 200 stream.
  return "stream_error";
}

// Pacing so the lanes do not starve the gateways and Redis on a 2-core machine.
const PAUSE_MS = 10;

/**
 * Client traffic with the official `openai` SDK (no retries) spread over the gateways, one
 * request at a time per lane, each one timed from send to the end of its answer.
 */
export function driveTraffic(options: TrafficOptions): Traffic {
  const clients = options.urls.map(
    (url) =>
      new OpenAI({
        apiKey: TEST_KEY,
        baseURL: `${url}/v1`,
        maxRetries: 0,
        timeout: options.clientTimeoutMs,
      }),
  );
  const messages = [{ role: "user" as const, content: "hi" }];
  const results: RequestResult[] = [];
  const streamEvery = options.streamEvery ?? 3;
  let phase = "before";
  let stopped = false;
  let n = 0;

  async function one(client: OpenAI, stream: boolean): Promise<Answer> {
    if (!stream) {
      await client.chat.completions.create({ model: options.model, messages });
      return 200;
    }
    const events = await client.chat.completions.create({
      model: options.model,
      messages,
      stream: true,
    });
    let text = "";
    for await (const chunk of events) text += chunk.choices[0]?.delta?.content ?? "";
    return text === "" ? "stream_error" : 200;
  }

  async function lane(): Promise<void> {
    while (!stopped) {
      const i = n++;
      const replica = i % clients.length;
      const stream = i % streamEvery === 0;
      const result = { replica, stream, phase, answer: "no_answer" as Answer, ms: 0 };
      const started = performance.now();
      result.answer = await one(clients[replica] as OpenAI, stream).catch(answerOf);
      result.ms = Math.round(performance.now() - started);
      results.push(result);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }

  const lanes = Array.from({ length: options.lanes ?? 4 }, lane);
  return {
    setPhase(next) {
      phase = next;
    },
    served: (only) =>
      results.filter((r) => r.answer === 200 && (only === undefined || r.phase === only)).length,
    async stop() {
      stopped = true;
      await Promise.all(lanes);
      return results;
    },
  };
}

/** Counts and the slowest answer, for assertions and the one-line summary a run prints. */
export function summarize(results: RequestResult[]) {
  const served = results.filter((r) => r.answer === 200).length;
  const noAnswer = results.filter((r) => r.answer === "no_answer").length;
  const maxMs = Math.max(0, ...results.map((r) => r.ms));
  const others = results.filter((r) => r.answer !== 200).map((r) => r.answer);
  return {
    total: results.length,
    served,
    servedShare: results.length === 0 ? 0 : served / results.length,
    noAnswer,
    maxMs,
    others,
  };
}
