// Prints a FilterNode back to filter text with minimal parentheses (not > and > or), for the
// round-trip fuzz test and for readable differential-test failures.
import type { AttributePath, FilterNode, FilterValue } from "../../../src/scim/filter/ast";

export const printPath = (p: AttributePath) => `${p.urn ? `${p.urn}:` : ""}${p.attribute}${p.subAttribute ? `.${p.subAttribute}` : ""}`;

const printValue = (v: FilterValue) => (typeof v === "string" ? JSON.stringify(v) : String(v));

const precedence = (node: FilterNode) => (node.kind === "or" ? 1 : node.kind === "and" ? 2 : 3);

export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case "compare":
      return `${printPath(node.path)} ${node.op} ${printValue(node.value)}`;
    case "present":
      return `${printPath(node.path)} pr`;
    case "not":
      return `not (${printFilter(node.filter)})`;
    case "valuePath":
      return `${printPath(node.path)}[${printFilter(node.filter)}]`;
    case "and":
    case "or": {
      const p = precedence(node);
      // Left-associative: the right operand needs parentheses at equal precedence too.
      const left = precedence(node.left) < p ? `(${printFilter(node.left)})` : printFilter(node.left);
      const right = precedence(node.right) <= p ? `(${printFilter(node.right)})` : printFilter(node.right);
      return `${left} ${node.kind} ${right}`;
    }
  }
}
