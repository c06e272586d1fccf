import { apiRead, apiWrite } from "../../../../lib/api/operation.ts";
import { OPERATIONS } from "../../../../lib/api/v1/operations.ts";
import { listOrders, placeOrder } from "../../../../lib/api/v1/orders.ts";

export const GET = apiRead(OPERATIONS.listOrders, listOrders);
export const POST = apiWrite(OPERATIONS.placeOrder, placeOrder);
