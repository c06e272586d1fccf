import { apiRead } from "../../../../../lib/api/operation.ts";
import { OPERATIONS } from "../../../../../lib/api/v1/operations.ts";
import { readOrderByApi } from "../../../../../lib/api/v1/orders.ts";

export const GET = apiRead(OPERATIONS.getOrder, readOrderByApi);
