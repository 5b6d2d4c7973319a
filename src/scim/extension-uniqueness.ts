// `uniqueness: server` (or `global`) on a declared extension attribute: before a write, look for
// another resource of the tenant holding the same value, through the store's ordinary filtered
// list (so case folding follows the attribute's caseExact). Checked before the write, not inside
// its batch: two concurrent writes of one new value can both pass (docs/scim.md says so).
import { uniqueness } from "./errors";
import type { FilterNode, FilterValue } from "./filter/ast";
import type { ResourceTypeName } from "./schema/attribute";
import { builtInExtensions, schemasOf } from "./schema/registry";
import type { ScimDoc, Store } from "./store";

const isFilterLiteral = (v: unknown): v is Exclude<FilterValue, null> =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The (urn, attribute, value) triples of `doc` that must be unique in the tenant. */
function uniqueValues(store: Store, type: ResourceTypeName, doc: ScimDoc) {
  const builtIn = new Set(builtInExtensions.map((e) => e.schema.id));
  return schemasOf(type, store.schemas)
    .extensions.filter((schema) => !builtIn.has(schema.id))
    .flatMap((schema) =>
      schema.attributes
        .filter((a) => a.uniqueness !== "none" && !a.multiValued)
        .map((a) => ({ urn: schema.id, name: a.name, value: (doc[schema.id] as ScimDoc | undefined)?.[a.name] }))
        .filter((u): u is { urn: string; name: string; value: Exclude<FilterValue, null> } => isFilterLiteral(u.value)),
    );
}

/** Throws 409 uniqueness when another resource of the tenant holds one of `doc`'s unique values. */
export async function checkExtensionUniqueness(store: Store, type: ResourceTypeName, id: string, doc: ScimDoc): Promise<void> {
  for (const u of uniqueValues(store, type, doc)) {
    const filter: FilterNode = {
      kind: "and",
      left: { kind: "compare", path: { urn: u.urn, attribute: u.name }, op: "eq", value: u.value },
      right: { kind: "not", filter: { kind: "compare", path: { attribute: "id" }, op: "eq", value: id } },
    };
    const list = type === "User" ? store.users : store.groups;
    const page = await list.list({ filter, sortOrder: "ascending", startIndex: 1, count: 0 });
    if (page.totalResults > 0) throw uniqueness(`${u.urn}:${u.name} "${String(u.value)}" is already in use in this tenant`);
  }
}
