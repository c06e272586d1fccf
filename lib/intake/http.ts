import "server-only";
import { database } from "../../db/index.ts";
import { receiveWebhook } from "./core.ts";
import type { WebhookSource } from "./types.ts";

/** Marks a handler authenticated by the sender's signature, not a session (the permission matrix checks these apart). */
export type SignatureAuthenticated = { readonly signatureAuthenticated: WebhookSource };

/** The thin route handler for one source: the intake answers, the handler only shapes the JSON response. */
export function webhookRoute(source: WebhookSource): ((req: Request) => Promise<Response>) & SignatureAuthenticated {
  const handler = async (req: Request): Promise<Response> => {
    const answer = await receiveWebhook(database(), source, req);
    return Response.json(answer.body, { status: answer.status });
  };
  return Object.assign(handler, { signatureAuthenticated: source });
}
