// `npm run api:types`: regenerates clients/orders-api-v1.ts from the orders API's OpenAPI document.
import { writeFileSync } from "node:fs";
import { CLIENT_TYPES_FILE, clientTypes } from "./lib/api-types.ts";

writeFileSync(CLIENT_TYPES_FILE, await clientTypes());
console.log(`Wrote ${CLIENT_TYPES_FILE}.`);
