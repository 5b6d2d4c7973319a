// Device Hub wire types (docs/device-hub-api.md): zod schemas for every response we read, so a
// misbehaving hub becomes a typed `invalidResponse` instead of undefined-property bugs downstream.
import { z } from "zod";

/** Optional text fields: the contract sends null, but a missing field is treated the same. */
const text = z.string().nullable().default(null);

export const HubUserSchema = z.object({
  id: z.string().min(1),
  externalRef: text,
  userName: z.string().min(1),
  displayName: text,
  email: text,
  givenName: text,
  familyName: text,
  jobTitle: text,
  department: text,
  employeeNumber: text,
  mobilePhone: text,
  preferredLanguage: text,
  country: text,
  floor: text,
  officeLocation: text,
  workMode: text,
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HubUser = z.infer<typeof HubUserSchema>;

export const HubGroupSchema = z.object({
  id: z.string().min(1),
  externalRef: text,
  name: z.string(),
  description: text,
  memberCount: z.number().int().nonnegative(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HubGroup = z.infer<typeof HubGroupSchema>;

export const HubMemberSchema = z.object({ userId: z.string().min(1), addedAt: z.string() });
export type HubMember = z.infer<typeof HubMemberSchema>;

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().min(1).nullable() });
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const HubErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

const BatchItemSchema = z.object({
  index: z.number().int().nonnegative(),
  status: z.number().int(),
  user: HubUserSchema.optional(),
  error: HubErrorBodySchema.shape.error.optional(),
});

/** One result of POST /v1/users/batch, in request order. */
export type UserBatchItem =
  | { index: number; ok: true; created: boolean; user: HubUser }
  | { index: number; ok: false; status: number; code: string; message: string; details?: Record<string, unknown> };

export const UserBatchResponseSchema = z
  .object({ results: z.array(BatchItemSchema) })
  .transform((body, ctx): UserBatchItem[] =>
    body.results.map((r) => {
      if ((r.status === 200 || r.status === 201) && r.user) return { index: r.index, ok: true, created: r.status === 201, user: r.user };
      if (r.status >= 400 && r.error) return { index: r.index, ok: false, status: r.status, code: r.error.code, message: r.error.message, details: r.error.details };
      ctx.addIssue({ code: "custom", message: `batch result ${r.index} has status ${r.status} without user/error` });
      return z.NEVER;
    }),
  );

export const MemberAddResponseSchema = z.object({
  added: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  results: z.array(z.object({ userId: z.string(), status: z.enum(["added", "alreadyMember", "unknownUser"]) })),
});
export type MemberAddResult = z.infer<typeof MemberAddResponseSchema>;

export const MemberRemoveResponseSchema = z.object({
  removed: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  results: z.array(z.object({ userId: z.string(), status: z.enum(["removed", "notMember", "unknownUser"]) })),
});
export type MemberRemoveResult = z.infer<typeof MemberRemoveResponseSchema>;

/** Writable user fields; `externalRef` is our SCIM user id. */
export interface HubUserInput {
  externalRef: string;
  userName: string;
  displayName?: string | null;
  email?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  employeeNumber?: string | null;
  mobilePhone?: string | null;
  preferredLanguage?: string | null;
  country?: string | null;
  floor?: string | null;
  officeLocation?: string | null;
  workMode?: string | null;
  active?: boolean;
}
/** PATCH body: only the fields present change; `externalRef: null` unlinks a user. */
export type HubUserPatch = Partial<Omit<HubUserInput, "externalRef">> & { externalRef?: string | null };

/** `externalRef` is our SCIM group id. */
export interface HubGroupInput {
  externalRef: string;
  name: string;
  description?: string | null;
}
export type HubGroupPatch = { name?: string; description?: string | null; externalRef?: string | null };

/** Contract limits (docs/device-hub-api.md). */
export const HUB_LIMITS = { maxPage: 500, maxUserBatch: 100, maxMemberBatch: 1000 } as const;
