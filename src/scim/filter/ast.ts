// Syntax tree of RFC 7644 §3.4.2.2 filters and of PATCH paths (§3.5.2). Produced by parser.ts,
// consumed by evaluate.ts (in memory), storage/filter-sql.ts (SQL) and the PATCH engine.

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A literal as written in the filter: string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/**
 * An attribute reference as written: optional schema URN, attribute name, optional sub-attribute.
 * Names keep the client's spelling; resolution against a schema is case-insensitive.
 */
export interface AttributePath {
  urn?: string;
  attribute: string;
  subAttribute?: string;
}

export type FilterNode =
  | { kind: "compare"; path: AttributePath; op: CompareOperator; value: FilterValue }
  | { kind: "present"; path: AttributePath }
  | { kind: "and"; left: FilterNode; right: FilterNode }
  | { kind: "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; filter: FilterNode }
  /** `emails[type eq "work" and value co "x"]`: `filter` is relative to the elements of `path`. */
  | { kind: "valuePath"; path: AttributePath; filter: FilterNode };

/** A PATCH path: `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`. */
export interface PatchPath {
  path: AttributePath;
  /** Element filter for multi-valued attributes, relative to the elements. */
  filter?: FilterNode;
  /** Sub-attribute after a value filter: `emails[type eq "work"].value` → "value". */
  subAttribute?: string;
}
