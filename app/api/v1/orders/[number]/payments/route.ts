import { apiWrite } from "../../../../../../lib/api/operation.ts";
import { OPERATIONS } from "../../../../../../lib/api/v1/operations.ts";
import { recordPaymentByApi } from "../../../../../../lib/api/v1/orders.ts";

export const POST = apiWrite(OPERATIONS.recordPayment, recordPaymentByApi);
