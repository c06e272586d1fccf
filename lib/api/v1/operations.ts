import { z } from "zod";
import type { ApiOperation } from "../operation.ts";
import { CancelOrderRequest, ListOrdersQuery, Order, OrderList, OrderNumberPath, PlaceOrderRequest, RecordPaymentRequest, text } from "./schemas.ts";

/** Every POST carries one; the same key and body again answers the first response (Idempotent-Replayed: true). */
const IdempotencyHeaders = z.object({
  "idempotency-key": text(1, 255)
    .regex(/^[\x21-\x7E]+$/, "Printable ASCII without spaces.")
    .meta({ description: "Your unique key for this request (a UUID). Kept 24 h per API key.", examples: ["9f1c1b54-0d6e-4d8a-9a3e-6c1e2b7f5a10"] }),
});

const idempotent = <B extends z.ZodType>(body: B) => ({ headers: IdempotencyHeaders, body });

export const OPERATIONS = {
  placeOrder: {
    id: "placeOrder",
    method: "POST",
    path: "/orders",
    summary: "Place an order",
    description:
      "Goes through the same intake as the storefront webhooks: the body is stored raw, the order is created pending (priced from the catalogue) and shows on its timeline. Pay it with recordPayment, or let the Stripe webhook do so.",
    permission: "orders:place",
    input: z.object(idempotent(PlaceOrderRequest)),
    success: { status: 201, description: "The order, created.", schema: Order, location: true },
    problems: ["conflict", "unprocessable"],
  },
  listOrders: {
    id: "listOrders",
    method: "GET",
    path: "/orders",
    summary: "List orders",
    description: "Newest placed first, filtered by status and last change; page with next_cursor.",
    permission: "orders:read",
    input: z.object({ query: ListOrdersQuery }),
    success: { status: 200, description: "One page of orders.", schema: OrderList },
    problems: [],
  },
  getOrder: {
    id: "getOrder",
    method: "GET",
    path: "/orders/{number}",
    summary: "Read an order",
    description: "Status, lines, amounts, shipments with tracking, refunds and the last 20 audit entries.",
    permission: "orders:read",
    input: z.object({ path: OrderNumberPath }),
    success: { status: 200, description: "The order.", schema: Order },
    problems: ["not_found"],
  },
  cancelOrder: {
    id: "cancelOrder",
    method: "POST",
    path: "/orders/{number}/cancel",
    summary: "Cancel an order",
    description:
      "As an agent's cancel from the dashboard: pending shipments and backorders are cancelled, reservations released and what was paid refunded. An order the warehouse has started on, or one already shipped, is a 409 naming its current status.",
    permission: "orders:cancel",
    input: z.object({ path: OrderNumberPath, ...idempotent(CancelOrderRequest) }),
    success: { status: 200, description: "The order, cancelled.", schema: Order },
    problems: ["not_found", "invalid_transition", "conflict"],
  },
  recordPayment: {
    id: "recordPayment",
    method: "POST",
    path: "/orders/{number}/payments",
    summary: "Record a captured payment",
    description:
      "For checkouts that do not use the Stripe webhook: the payment captured at your provider, for the order's full total. Through the same intake as the webhook: the order becomes paid and is queued for routing.",
    permission: "payments:record",
    input: z.object({ path: OrderNumberPath, ...idempotent(RecordPaymentRequest) }),
    success: { status: 200, description: "The order, paid.", schema: Order },
    problems: ["not_found", "unprocessable", "conflict"],
  },
} as const satisfies Record<string, ApiOperation>;
