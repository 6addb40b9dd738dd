import { describe, expect, it } from "vitest";
import { readFixture, readFixtures } from "./fixtures/read-fixtures";
import { parseResponsesRequest } from "./parse-responses-request";

interface ErrorCase {
  name: string;
  body: unknown;
  error: { message: string; param: string | null };
}

describe("parseResponsesRequest", () => {
  it.each(readFixtures<{ responses: unknown }>("requests"))("accepts the %s request", (_, f) => {
    const parsed = parseResponsesRequest(f.responses);
    expect(parsed).toMatchObject({ ok: true });
  });

  it.each(readFixture<ErrorCase[]>("request-errors.json").map((c) => [c.name, c] as const))(
    "refuses %s, naming the field",
    (_, c) => {
      expect(parseResponsesRequest(c.body)).toEqual({ ok: false, error: c.error });
    },
  );

  it("refuses each built-in tool type by name", () => {
    for (const type of [
      "file_search",
      "computer_use_preview",
      "code_interpreter",
      "image_generation",
      "mcp",
    ]) {
      const parsed = parseResponsesRequest({ input: "hi", tools: [{ type }] });
      expect(parsed).toMatchObject({
        ok: false,
        error: {
          param: "tools[0].type",
          message: expect.stringContaining(`'${type}' is not supported`),
        },
      });
    }
  });

  it("accepts a null previous_response_id and background false, which ask for nothing", () => {
    const parsed = parseResponsesRequest({
      input: "hi",
      previous_response_id: null,
      background: false,
    });
    expect(parsed).toMatchObject({ ok: true });
  });
});
