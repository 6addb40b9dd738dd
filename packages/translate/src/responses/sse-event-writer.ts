/**
 * Responses SSE frames: `event:` names the type and `data:` repeats it with a
 * `sequence_number` counted from 0 across the whole stream, as OpenAI sends them.
 */
export class SseEventWriter {
  private sequence = 0;

  frame(type: string, fields: Record<string, unknown>): string {
    const data = { type, sequence_number: this.sequence++, ...fields };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
