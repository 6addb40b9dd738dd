import type { ChatToolCallDelta } from "../chat-types";
import { itemId } from "./response-envelope";
import type {
  ResponseFunctionCallItem,
  ResponseItemStatus,
  ResponseMessageItem,
  ResponseOutputItem,
} from "./response-types";
import type { SseEventWriter } from "./sse-event-writer";

/** One chat tool call (by its chunk `index`), opened as an item once its name is known. */
interface CallState {
  callId?: string;
  name?: string;
  pendingArguments: string;
  item?: ResponseFunctionCallItem;
  outputIndex?: number;
}

type OpenItem =
  | { kind: "message"; item: ResponseMessageItem; outputIndex: number; partOpen: boolean }
  | { kind: "call"; item: ResponseFunctionCallItem; outputIndex: number };

/**
 * The output items of a streamed response and their events. Items are sequential like
 * OpenAI's: a new item (text after a tool call, the next tool call) closes the open one with
 * its `.done` events. A tool call's deltas that arrive after its item closed (an upstream
 * interleaving calls) still stream, and the final response carries the whole arguments.
 */
export class OutputItemEvents {
  readonly output: ResponseOutputItem[] = [];
  private readonly calls = new Map<number, CallState>();
  private open: OpenItem | undefined;

  constructor(
    private readonly responseId: string,
    private readonly events: SseEventWriter,
  ) {}

  /** Text or refusal delta: into the open message's part of that kind, opening what is needed. */
  appendText(frames: string[], kind: "output_text" | "refusal", delta: string): void {
    const message = this.openMessage(frames);
    let part = message.item.content.at(-1);
    if (!message.partOpen || part?.type !== kind) {
      this.closePart(frames, message);
      part =
        kind === "output_text"
          ? { type: "output_text", text: "", annotations: [], logprobs: [] }
          : { type: "refusal", refusal: "" };
      message.item.content.push(part);
      message.partOpen = true;
      frames.push(this.events.frame("response.content_part.added", { ...partAt(message), part }));
    }
    if (part.type === "output_text") {
      part.text += delta;
      frames.push(
        this.events.frame("response.output_text.delta", {
          ...partAt(message),
          delta,
          logprobs: [],
        }),
      );
    } else {
      part.refusal += delta;
      frames.push(this.events.frame("response.refusal.delta", { ...partAt(message), delta }));
    }
  }

  toolCallDelta(frames: string[], delta: ChatToolCallDelta): void {
    let call = this.calls.get(delta.index);
    // Some upstreams send every call whole at index 0: a new id at a used index is a new call.
    if (!call || (delta.id && call.callId && delta.id !== call.callId)) {
      call = { pendingArguments: "" };
      this.calls.set(delta.index, call);
    }
    if (delta.id && !call.callId) call.callId = delta.id;
    if (delta.function?.name && !call.item) call.name = delta.function.name;
    const args = delta.function?.arguments ?? "";
    if (call.item) {
      if (args) this.appendArguments(frames, call, args);
      return;
    }
    call.pendingArguments += args;
    if (call.name) this.openCall(frames, call);
  }

  /** The stream ended: calls whose name never came are shown anyway (hiding them would hide
   * the upstream's fault), then the open item closes with `status`. */
  finish(frames: string[], status: ResponseItemStatus): void {
    for (const call of this.calls.values()) if (!call.item) this.openCall(frames, call);
    this.closeOpen(frames, status);
  }

  /** The stream failed: the open item stays as it is, marked incomplete, with no more events. */
  abandon(): void {
    if (this.open) this.open.item.status = "incomplete";
  }

  private openMessage(frames: string[]): OpenItem & { kind: "message" } {
    if (this.open?.kind === "message") return this.open;
    this.closeOpen(frames, "completed");
    const outputIndex = this.output.length;
    const item: ResponseMessageItem = {
      id: itemId(this.responseId, "msg", outputIndex),
      type: "message",
      status: "in_progress",
      role: "assistant",
      content: [],
    };
    this.addItem(frames, item);
    const open = { kind: "message" as const, item, outputIndex, partOpen: false };
    this.open = open;
    return open;
  }

  private openCall(frames: string[], call: CallState): void {
    this.closeOpen(frames, "completed");
    const outputIndex = this.output.length;
    const id = itemId(this.responseId, "fc", outputIndex);
    const item: ResponseFunctionCallItem = {
      id,
      type: "function_call",
      status: "in_progress",
      call_id: call.callId ?? `call_${id.slice("fc_".length)}`,
      name: call.name ?? "",
      arguments: "",
    };
    this.addItem(frames, item);
    call.item = item;
    call.outputIndex = outputIndex;
    this.open = { kind: "call", item, outputIndex };
    const pending = call.pendingArguments;
    call.pendingArguments = "";
    if (pending) this.appendArguments(frames, call, pending);
  }

  private appendArguments(frames: string[], call: CallState, delta: string): void {
    if (!call.item || call.outputIndex === undefined) return;
    call.item.arguments += delta;
    frames.push(
      this.events.frame("response.function_call_arguments.delta", {
        item_id: call.item.id,
        output_index: call.outputIndex,
        delta,
      }),
    );
  }

  private addItem(frames: string[], item: ResponseOutputItem): void {
    const outputIndex = this.output.length;
    this.output.push(item);
    frames.push(
      this.events.frame("response.output_item.added", { output_index: outputIndex, item }),
    );
  }

  private closeOpen(frames: string[], status: ResponseItemStatus): void {
    const open = this.open;
    if (!open) return;
    if (open.kind === "message") this.closePart(frames, open);
    else {
      frames.push(
        this.events.frame("response.function_call_arguments.done", {
          item_id: open.item.id,
          output_index: open.outputIndex,
          name: open.item.name,
          arguments: open.item.arguments,
        }),
      );
    }
    open.item.status = status;
    frames.push(
      this.events.frame("response.output_item.done", {
        output_index: open.outputIndex,
        item: open.item,
      }),
    );
    this.open = undefined;
  }

  private closePart(frames: string[], message: OpenItem & { kind: "message" }): void {
    if (!message.partOpen) return;
    const part = message.item.content.at(-1)!;
    frames.push(
      part.type === "output_text"
        ? this.events.frame("response.output_text.done", {
            ...partAt(message),
            text: part.text,
            logprobs: [],
          })
        : this.events.frame("response.refusal.done", { ...partAt(message), refusal: part.refusal }),
    );
    frames.push(this.events.frame("response.content_part.done", { ...partAt(message), part }));
    message.partOpen = false;
  }
}

/** Where the open message's last part is, as every part event names it. */
function partAt(message: OpenItem & { kind: "message" }) {
  return {
    item_id: message.item.id,
    output_index: message.outputIndex,
    content_index: message.item.content.length - 1,
  };
}
