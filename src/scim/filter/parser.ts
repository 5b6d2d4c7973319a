// Recursive-descent parser for RFC 7644 §3.4.2.2 filters (precedence: not > and > or) and for
// PATCH paths (§3.5.2). Also Entra's forms: `emails[type eq "work"].value eq "x"`
// and bare unquoted values. Errors are 400 invalidFilter / invalidPath naming position and token.
import { invalidFilter, invalidPath, ScimError } from "../errors";
import type { AttributePath, CompareOperator, FilterNode, FilterValue, PatchPath } from "./ast";
import { builtInRegistry, findSchema, type SchemaRegistry } from "../schema/registry";
import { describe, tokenize, type Token } from "./lexer";

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;
export const MAX_FILTER_COMPARISONS = 50;

const COMPARE_OPS = new Set<CompareOperator>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);

const NAME = /^[A-Za-z$][\w$-]*$/;

/**
 * Split `urn:…:2.0:User:attr.sub` at the LAST colon (the URN itself contains "2.0"), then
 * `attr.sub` at the dot. Entra's legacy form `urn:…:2.0:User.department` puts a
 * dot after the URN: when the text before that dot is a known schema URN it is read as one.
 */
export function parseAttributePath(text: string, registry: SchemaRegistry = builtInRegistry): AttributePath {
  const colon = text.lastIndexOf(":");
  let urn = colon >= 0 ? text.slice(0, colon) : undefined;
  let parts = (colon >= 0 ? text.slice(colon + 1) : text).split(".");
  if (urn !== undefined && parts.length > 1 && findSchema(`${urn}:${parts[0]}`, registry)) {
    urn = `${urn}:${parts[0]}`;
    parts = parts.slice(1);
  }
  const [attribute = "", subAttribute, extra] = parts;
  if (urn === "" || extra !== undefined || !NAME.test(attribute) || (subAttribute !== undefined && !NAME.test(subAttribute))) {
    throw invalidFilter(`"${text}" is not a valid attribute path`);
  }
  return { ...(urn !== undefined ? { urn } : {}), attribute, ...(subAttribute !== undefined ? { subAttribute } : {}) };
}

class Parser {
  private i = 0;
  private depth = 0;
  private comparisons = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly registry: SchemaRegistry,
  ) {}

  peek(): Token {
    return this.tokens[this.i]!;
  }
  next(): Token {
    return this.tokens[this.i++]!;
  }
  fail(token: Token, expected?: string): never {
    throw invalidFilter(`unexpected ${describe(token)} at position ${token.pos}${expected ? `; expected ${expected}` : ""}`);
  }
  keyword(token: Token, word: string) {
    return token.kind === "word" && token.text.toLowerCase() === word;
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.keyword(this.peek(), "or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.keyword(this.peek(), "and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  parseUnary(): FilterNode {
    if (++this.depth > MAX_FILTER_DEPTH) throw invalidFilter(`filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
    try {
      const token = this.peek();
      if (this.keyword(token, "not")) {
        this.next();
        const open = this.next();
        if (open.kind !== "(") this.fail(open, `"(" after not`);
        const inner = this.parseOr();
        const close = this.next();
        if (close.kind !== ")") this.fail(close, `")"`);
        return { kind: "not", filter: inner };
      }
      if (token.kind === "(") {
        this.next();
        const inner = this.parseOr();
        const close = this.next();
        if (close.kind !== ")") this.fail(close, `")"`);
        return inner;
      }
      return this.parseAttributeExpression();
    } finally {
      this.depth--;
    }
  }

  parseAttributeExpression(): FilterNode {
    const token = this.next();
    if (token.kind !== "word") this.fail(token, "an attribute name");
    const path = attributePathAt(token, this.registry);
    if (this.peek().kind === "[") {
      this.next();
      const filter = this.parseOr();
      const close = this.next();
      if (close.kind !== "]") this.fail(close, `"]"`);
      // Entra: `emails[type eq "work"].value eq "x"` → emails[type eq "work" and value eq "x"].
      const after = this.peek();
      if (after.kind === "word" && after.text.startsWith(".")) {
        this.next();
        const sub = after.text.slice(1);
        if (!NAME.test(sub)) this.fail(after, "a sub-attribute");
        const inner = this.parseComparison({ attribute: sub }, after);
        return { kind: "valuePath", path, filter: { kind: "and", left: filter, right: inner } };
      }
      // An older Entra doc example compares the value path itself: `emails[type eq "work"] eq "x"`
      // (azure-docs#83855); read it as the element's `value`.
      if (after.kind === "word" && (COMPARE_OPS.has(after.text.toLowerCase() as CompareOperator) || after.text.toLowerCase() === "pr")) {
        const inner = this.parseComparison({ attribute: "value" }, after);
        return { kind: "valuePath", path, filter: { kind: "and", left: filter, right: inner } };
      }
      return { kind: "valuePath", path, filter };
    }
    return this.parseComparison(path, token);
  }

  parseComparison(path: AttributePath, at: Token): FilterNode {
    const opToken = this.next();
    if (opToken.kind !== "word") this.fail(opToken, "an operator");
    const op = opToken.text.toLowerCase();
    if (++this.comparisons > MAX_FILTER_COMPARISONS) {
      throw invalidFilter(`filter has more than ${MAX_FILTER_COMPARISONS} comparisons`);
    }
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPS.has(op as CompareOperator)) this.fail(opToken, "an operator (eq ne co sw ew pr gt ge lt le)");
    return { kind: "compare", path, op: op as CompareOperator, value: this.parseValue(at) };
  }

  parseValue(at: Token): FilterValue {
    const token = this.next();
    switch (token.kind) {
      case "string":
        return token.value;
      case "number":
        return token.value;
      case "word": {
        const lc = token.text.toLowerCase();
        if (lc === "true") return true;
        if (lc === "false") return false;
        if (lc === "null") return null;
        if (lc === "and" || lc === "or") this.fail(token, "a value");
        // Entra's tutorial prints `externalId eq jyoung` without quotes.
        return token.text;
      }
      default:
        return this.fail(token, `a value for the comparison at position ${at.pos}`);
    }
  }
}

function attributePathAt(token: Extract<Token, { kind: "word" }>, registry: SchemaRegistry): AttributePath {
  try {
    return parseAttributePath(token.text, registry);
  } catch (err) {
    if (err instanceof ScimError) throw invalidFilter(`"${token.text}" at position ${token.pos} is not a valid attribute path`);
    throw err;
  }
}

/** `registry` only tells which URNs are schemas (for the `urn:…:User.attr` form); names are resolved later. */
export function parseFilter(text: string, registry: SchemaRegistry = builtInRegistry): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`filter is longer than ${MAX_FILTER_LENGTH} characters`);
  if (text.trim() === "") throw invalidFilter("filter is empty");
  const parser = new Parser(tokenize(text), registry);
  const node = parser.parseOr();
  const rest = parser.peek();
  if (rest.kind !== "end") parser.fail(rest, `"and", "or" or the end of the filter`);
  return node;
}

/** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2); a bare extension URN is allowed. */
export function parsePatchPath(text: string, registry: SchemaRegistry = builtInRegistry): PatchPath {
  const trimmed = text.trim();
  try {
    const bracket = trimmed.indexOf("[");
    if (bracket < 0) {
      // `urn:…:enterprise:2.0:User` alone: the whole extension object (attribute "").
      const schema = findSchema(trimmed, registry);
      if (schema) return { path: { urn: schema.id, attribute: "" } };
      return { path: parseAttributePath(trimmed, registry) };
    }
    const close = trimmed.lastIndexOf("]");
    if (close < bracket) throw invalidPath(`"${text}": missing "]"`);
    const path = parseAttributePath(trimmed.slice(0, bracket), registry);
    if (path.subAttribute) throw invalidPath(`"${text}": a value filter follows a multi-valued attribute, not a sub-attribute`);
    const filter = parseFilter(trimmed.slice(bracket + 1, close), registry);
    const after = trimmed.slice(close + 1);
    if (after === "") return { path, filter };
    if (!after.startsWith(".") || !NAME.test(after.slice(1))) throw invalidPath(`"${text}": unexpected "${after}" after the value filter`);
    return { path, filter, subAttribute: after.slice(1) };
  } catch (err) {
    if (err instanceof ScimError && err.scimType !== "invalidPath") throw invalidPath(`invalid path "${text}": ${err.detail}`);
    throw err;
  }
}
