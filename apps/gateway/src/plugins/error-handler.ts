import { anthropicErrorBody } from "@429chain/translate";
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ClientGoneError, GatewayError } from "../errors";
import { BodyRejectedError } from "../http/json-body";
import { anthropicStatus, surfaceOf } from "../surfaces/route-surface";

/** Maps Fastify's own errors (body size, our JSON parser's 400s) onto our closed set of codes. */
function toGatewayError(err: FastifyError): GatewayError {
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE" || err.statusCode === 413) {
    return new GatewayError("request_too_large", "The request body is too large.");
  }
  if (err instanceof BodyRejectedError) return new GatewayError("invalid_request", err.message);
  if (err instanceof SyntaxError || err.statusCode === 400) {
    return new GatewayError("invalid_json", `The request body is not valid JSON: ${err.message}`);
  }
  return new GatewayError("internal_error", "The gateway hit an internal error.");
}

/**
 * One error path: every error leaves in its API's envelope with the request id — OpenAI's
 * for chat and Responses, Anthropic's for /v1/messages (where a chain whose entries all failed
 * is a 529 `overloaded_error`, which Claude Code retries, rather than a 502/503).
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      // The client went away mid-request: there is nobody to answer and nothing went wrong.
      if (err instanceof ClientGoneError) {
        request.log.debug("client disconnected before the response");
        return reply.code(499).send();
      }
      const gatewayError = err instanceof GatewayError ? err : toGatewayError(err);
      if (gatewayError.status >= 500 && !(err instanceof GatewayError)) {
        request.log.error({ err }, "unhandled error");
      }
      reply.headers(gatewayError.headers());
      // An unauthenticated request's body is never read: close instead of draining it.
      if (gatewayError.status === 401) reply.header("connection", "close");
      if (surfaceOf(request) === "messages") {
        const status = anthropicStatus(gatewayError);
        return reply
          .code(status)
          .send(anthropicErrorBody(status, gatewayError.message, request.id));
      }
      return reply.code(gatewayError.status).send(gatewayError.toEnvelope(request.id));
    });
    app.setNotFoundHandler((request, reply) => {
      const err = new GatewayError("not_found", `No route for ${request.method} ${request.url}.`);
      return reply.code(err.status).send(err.toEnvelope(request.id));
    });
  },
  { name: "error-handler" },
);
