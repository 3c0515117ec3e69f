/** Tools and observed calls for the matching tests (tool-calls.test.ts, match.test.ts). */
import type { ObservedToolCall, ToolDefinition } from "../../src/smoke/types.js";

export const transferCall: ToolDefinition = {
  type: "function",
  function: {
    name: "transfer_call",
    parameters: {
      type: "object",
      properties: { department: { type: "string", enum: ["suporte", "vendas", "financeiro"] } },
      required: ["department"],
      additionalProperties: false,
    },
  },
};
const endCall: ToolDefinition = {
  type: "function",
  function: { name: "end_call", parameters: { type: "object", properties: { reason: { type: "string" } } } },
};
/** Takes any arguments: for matchers on values the other tools' schemas would reject. */
const probe: ToolDefinition = { type: "function", function: { name: "probe" } };

/** The tools every matching test offers the model. */
export const TOOLS = [transferCall, endCall, probe];

/** A call with arguments given as a value (serialised) or as the raw text the model produced. */
export const call = (name: string, args: unknown): ObservedToolCall => ({
  name,
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});
