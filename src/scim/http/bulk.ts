// POST /scim/v2/Bulk (RFC 7644 §3.7). The payload cap is checked before parsing (413). A Bulk
// costs one rate-limit unit per operation (the request itself paid the first in scimRateLimit):
// one that does not fit what is left of the client's or tenant's budget is refused whole, 429 +
// Retry-After, before any operation runs.
import { Hono } from "hono";
import { BULK_MAX_PAYLOAD_BYTES, parseBulkRequest } from "../bulk/request";
import { processBulk } from "../bulk/process";
import { readJsonBody } from "../../http/body";
import { chargeScim } from "../../access/port";
import type { ScimEnv } from "../../http/context";
import { scimJson } from "../../http/respond";
import { serviceContext } from "./scim-handler";

export const bulkRoutes = new Hono<ScimEnv>().post("/", async (c) => {
  const request = parseBulkRequest(await readJsonBody(c, BULK_MAX_PAYLOAD_BYTES));
  const n = request.operations.length;
  await chargeScim(c, n - 1, `a Bulk request is charged one unit per operation, and its ${n} operations do not fit what is left`);
  return scimJson(await processBulk(c.get("store"), request, serviceContext(c)));
});
