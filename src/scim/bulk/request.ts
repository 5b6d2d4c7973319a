// BulkRequest envelope (RFC 7644 §3.7): operation keys are case-insensitive; limits enforced.
import { z } from "zod";
import { invalidValue, payloadTooLarge } from "../errors";

export const BULK_MAX_OPERATIONS = 1000;
export const BULK_MAX_PAYLOAD_BYTES = 1_048_576;

const BulkOperationSchema = z.object({
  method: z.string().transform((m) => m.toUpperCase()).pipe(z.enum(["POST", "PUT", "PATCH", "DELETE"])),
  bulkId: z.string().min(1).optional(),
  version: z.string().optional(),
  path: z.string().min(1),
  data: z.unknown().optional(),
});

export type BulkOperation = z.infer<typeof BulkOperationSchema>;

export interface BulkRequest {
  failOnErrors: number | undefined;
  operations: BulkOperation[];
}

function lowerKeys(value: unknown, rename: Record<string, string> = {}): Record<string, unknown> | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename[k.toLowerCase()] ?? k.toLowerCase(), v]));
}

export function parseBulkRequest(body: unknown): BulkRequest {
  const top = lowerKeys(body);
  if (!top) throw invalidValue("a BulkRequest must be a JSON object");
  const ops = top["operations"];
  if (!Array.isArray(ops)) throw invalidValue("Operations must be an array");
  if (ops.length > BULK_MAX_OPERATIONS) {
    // RFC 7644 §3.7.4: a request over maxOperations is answered 413.
    throw payloadTooLarge(`a bulk request may carry at most ${BULK_MAX_OPERATIONS} operations (got ${ops.length})`);
  }
  const failOnErrors = top["failonerrors"];
  if (failOnErrors !== undefined && (typeof failOnErrors !== "number" || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw invalidValue("failOnErrors must be a positive integer");
  }
  const operations = ops.map((op, i) => {
    const parsed = BulkOperationSchema.safeParse(lowerKeys(op, { bulkid: "bulkId" }));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalidValue(`Operations[${i}]${issue.path.length ? "." + issue.path.join(".") : ""}: ${issue.message}`);
    }
    return parsed.data;
  });
  const ids = operations.flatMap((o) => (o.bulkId ? [o.bulkId] : []));
  if (new Set(ids).size !== ids.length) throw invalidValue("bulkId values must be unique within a request");
  return { failOnErrors: failOnErrors as number | undefined, operations };
}
