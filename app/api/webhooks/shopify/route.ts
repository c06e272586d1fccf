import { webhookRoute } from "../../../../lib/intake/http.ts";

/** Signed by the sender, not a session: see lib/intake (README, "Events in"). */
export const POST = webhookRoute("shopify");
