// Named normaliser for values clients send without a `type`: Eptura's API stores an untyped email
// or phone number as "work", and Entra's default mappings then address it as
// `emails[type eq "work"]`. Without the default, Entra's next replace of that path would add a
// second email instead of updating the first. Also: the phone types that mean "mobile".

import type { Rewrite } from "./entra";

export type DefaultRewrite = "emailTypeDefaultedToWork" | "phoneTypeDefaultedToWork";

export const DEFAULT_VALUE_TYPE = "work";

/** The attributes whose untyped elements get DEFAULT_VALUE_TYPE, and the rewrite each records. */
const TYPED_ATTRIBUTES: readonly [attribute: string, rewrite: DefaultRewrite][] = [
  ["emails", "emailTypeDefaultedToWork"],
  ["phoneNumbers", "phoneTypeDefaultedToWork"],
];

/** Phone types that all mean a mobile phone (Eptura's Device Hub accepts each of them). */
const MOBILE_PHONE_TYPES = new Set(["mobile", "cellular", "cell"]);

export function isMobilePhoneType(type: unknown): boolean {
  return typeof type === "string" && MOBILE_PHONE_TYPES.has(type.trim().toLowerCase());
}

const isUntyped = (element: Record<string, unknown>) =>
  element["type"] === undefined || element["type"] === null || element["type"] === "";

/**
 * A User document (the stored shape) with every untyped email and phone number typed "work".
 * Returns the same object when nothing changed; records each default that fired once in `rewrites`.
 */
export function defaultValueTypes(doc: Record<string, unknown>, rewrites?: Rewrite[]): Record<string, unknown> {
  let out = doc;
  for (const [attribute, rewrite] of TYPED_ATTRIBUTES) {
    const list = doc[attribute];
    if (!Array.isArray(list)) continue;
    const untyped = (v: unknown) => v !== null && typeof v === "object" && isUntyped(v as Record<string, unknown>);
    if (!list.some(untyped)) continue;
    out = { ...out, [attribute]: list.map((v) => (untyped(v) ? { ...(v as object), type: DEFAULT_VALUE_TYPE } : v)) };
    if (rewrites && !rewrites.includes(rewrite)) rewrites.push(rewrite);
  }
  return out;
}
