// POST /scim/v2/Bulk (RFC 7644 §3.7). The payload cap is checked before parsing (413).
import { Hono } from "hono";
import { BULK_MAX_PAYLOAD_BYTES, parseBulkRequest } from "../bulk/request";
import { processBulk } from "../bulk/process";
import { readJsonBody } from "../../http/body";
import type { ScimEnv } from "../../http/context";
import { scimJson } from "../../http/respond";
import { serviceContext } from "./scim-handler";

export const bulkRoutes = new Hono<ScimEnv>().post("/", async (c) => {
  const request = parseBulkRequest(await readJsonBody(c, BULK_MAX_PAYLOAD_BYTES));
  return scimJson(await processBulk(c.get("store"), request, serviceContext(c)));
});
