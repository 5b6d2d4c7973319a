// Typed comparison helpers shared by the evaluator and the SQL compiler: literal normalisation,
// the one case-folding rule, dateTime canonical form and SQLite-compatible string order.
import { invalidFilter } from "../errors";
import type { AttributeDefinition } from "../schema/attribute";
import type { FilterValue } from "./ast";

/**
 * Case folding for caseExact=false strings. SQLite's lower() folds ASCII only, so values that
 * live in the JSON document fold ASCII-only here too; userName and displayName live in columns
 * lower-cased by JavaScript, so they fold fully. Keeping one rule is what lets the SQL compiler
 * and the in-memory evaluator agree on every input.
 */
export function foldCase(value: string, unicode: boolean): string {
  return unicode ? value.toLowerCase() : value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** dateTime values compare as instants, in the canonical ISO form the database stores. */
export function canonicalDateTime(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Normalise the filter literal for an attribute (booleans, dateTimes, folded strings). */
export function literalFor(attr: AttributeDefinition, value: FilterValue, unicode: boolean): FilterValue {
  if (value === null) return null;
  switch (attr.type) {
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      throw invalidFilter(`${attr.name} is boolean; compare it with true or false`);
    case "integer":
    case "decimal":
      if (typeof value !== "number") throw invalidFilter(`${attr.name} is numeric; compare it with a number`);
      return value;
    case "dateTime": {
      const iso = typeof value === "string" ? canonicalDateTime(value) : undefined;
      if (!iso) throw invalidFilter(`${attr.name} is a dateTime; compare it with an ISO 8601 string`);
      return iso;
    }
    default: {
      const s = typeof value === "string" ? value : String(value);
      return attr.caseExact ? s : foldCase(s, unicode);
    }
  }
}

/**
 * Order strings by code point, as SQLite's BINARY collation orders UTF-8 (JavaScript's `<`
 * compares UTF-16 units, which disagrees above U+FFFF).
 */
export function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
