// The one error type of the SCIM domain and its one RFC 7644 §3.12 body. Every failure a client
// can see is a ScimError; http/errors.ts answers with scimErrorBody, Bulk puts it in each failed
// operation. No Hono or drizzle imports here.
import { ERROR_SCHEMA } from "./urns";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor";

// RFC 7644 §3.12 table (+ RFC 9865 cursor types): which scimType may go with which status.
// An illegal pair is a programming error, so it can never reach a client.
const LEGAL_STATUS: Record<ScimType, readonly number[]> = {
  invalidFilter: [400],
  tooMany: [400],
  uniqueness: [409],
  mutability: [400],
  invalidSyntax: [400],
  invalidPath: [400],
  noTarget: [400],
  invalidValue: [400],
  invalidVers: [400],
  sensitive: [400],
  invalidCursor: [400],
  expiredCursor: [400],
};

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;
  /** Extra response headers (WWW-Authenticate, Retry-After, …). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string,
    scimType?: ScimType,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    if (scimType && !LEGAL_STATUS[scimType].includes(status)) {
      throw new Error(`illegal SCIM error: status ${status} with scimType ${scimType}`);
    }
    this.name = "ScimError";
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.headers = options?.headers ?? {};
  }
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** The RFC 7644 §3.12 error body: `status` as a string, `scimType` only when there is one. */
export function scimErrorBody(err: Pick<ScimError, "status" | "scimType" | "detail">): ScimErrorBody {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(err.status),
    ...(err.scimType ? { scimType: err.scimType } : {}),
    detail: err.detail,
  };
}

export const invalidSyntax = (detail: string) => new ScimError(400, detail, "invalidSyntax");
export const invalidValue = (detail: string) => new ScimError(400, detail, "invalidValue");
export const invalidFilter = (detail: string) => new ScimError(400, detail, "invalidFilter");
export const invalidPath = (detail: string) => new ScimError(400, detail, "invalidPath");
export const noTarget = (detail: string) => new ScimError(400, detail, "noTarget");
export const mutability = (detail: string) => new ScimError(400, detail, "mutability");
export const tooMany = (detail: string) => new ScimError(400, detail, "tooMany");
export const invalidCursor = (detail: string) => new ScimError(400, detail, "invalidCursor");
export const uniqueness = (detail: string) => new ScimError(409, detail, "uniqueness");
export const notFound = (detail = "resource not found") => new ScimError(404, detail);
export const preconditionFailed = (detail = "resource version does not match If-Match") =>
  new ScimError(412, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, detail, undefined, {
    headers: { "WWW-Authenticate": `Bearer realm="scim", error="invalid_token"` },
  });
export const payloadTooLarge = (detail: string) => new ScimError(413, detail);
