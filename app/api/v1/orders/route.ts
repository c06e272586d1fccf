import { apiRead, apiWrite } from "../../../../lib/api/operation.ts";
import { OPERATIONS } from "../../../../lib/api/v1/operations.ts";
import { listOrdersByApi, placeOrderByApi } from "../../../../lib/api/v1/orders.ts";

export const GET = apiRead(OPERATIONS.listOrders, listOrdersByApi);
export const POST = apiWrite(OPERATIONS.placeOrder, placeOrderByApi);
