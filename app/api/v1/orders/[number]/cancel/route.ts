import { apiWrite } from "../../../../../../lib/api/operation.ts";
import { OPERATIONS } from "../../../../../../lib/api/v1/operations.ts";
import { cancelOrderByApi } from "../../../../../../lib/api/v1/orders.ts";

export const POST = apiWrite(OPERATIONS.cancelOrder, cancelOrderByApi);
