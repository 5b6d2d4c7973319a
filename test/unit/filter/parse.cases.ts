// Table of filter and PATCH-path texts → expected AST or expected invalidFilter/invalidPath detail.
import type { AttributePath, CompareOperator, FilterNode, FilterValue, PatchPath } from "../../../src/scim/filter/ast";

export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

export const path = (attribute: string, subAttribute?: string, urn?: string): AttributePath => ({
  ...(urn ? { urn } : {}),
  attribute,
  ...(subAttribute ? { subAttribute } : {}),
});
const dotted = (text: string): AttributePath => {
  const [a = "", s] = text.split(".");
  return path(a, s);
};
export const cmp = (attr: string | AttributePath, op: CompareOperator, value: FilterValue): FilterNode => ({
  kind: "compare",
  path: typeof attr === "string" ? dotted(attr) : attr,
  op,
  value,
});
export const pr = (attr: string | AttributePath): FilterNode => ({ kind: "present", path: typeof attr === "string" ? dotted(attr) : attr });
export const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: "and", left, right });
export const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: "or", left, right });
export const not = (filter: FilterNode): FilterNode => ({ kind: "not", filter });
export const vp = (attr: string, filter: FilterNode): FilterNode => ({ kind: "valuePath", path: dotted(attr), filter });

export const filterCases: { name: string; text: string; ast: FilterNode }[] = [
  // Every operator (RFC 7644 §3.4.2.2 table), operators case-insensitive.
  ...(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const).map((op) => ({
    name: `operator ${op}`,
    text: `title ${op} "x"`,
    ast: cmp("title", op, "x"),
  })),
  { name: "operator case-insensitive", text: 'userName EQ "bjensen"', ast: cmp("userName", "eq", "bjensen") },
  { name: "pr", text: "title pr", ast: pr("title") },
  { name: "PR upper", text: "title PR", ast: pr("title") },
  { name: "sub-attribute", text: 'name.familyName co "O\'Malley"', ast: cmp("name.familyName", "co", "O'Malley") },
  { name: "RFC example: meta.lastModified gt", text: 'meta.lastModified gt "2011-05-13T04:42:34Z"', ast: cmp("meta.lastModified", "gt", "2011-05-13T04:42:34Z") },
  // Literals.
  { name: "true", text: "active eq true", ast: cmp("active", "eq", true) },
  { name: "FALSE case-insensitive", text: "active eq FALSE", ast: cmp("active", "eq", false) },
  { name: "null", text: "title eq null", ast: cmp("title", "eq", null) },
  { name: "integer", text: "x eq 42", ast: cmp("x", "eq", 42) },
  { name: "negative decimal with exponent", text: "x lt -1.5e3", ast: cmp("x", "lt", -1500) },
  { name: "escaped quote and backslash", text: String.raw`title eq "a\"b\\c"`, ast: cmp("title", "eq", 'a"b\\c') },
  { name: "unicode escape", text: String.raw`title eq "caf\u00e9"`, ast: cmp("title", "eq", "café") },
  { name: "raw unicode in string", text: 'title eq "日本語 ☃"', ast: cmp("title", "eq", "日本語 ☃") },
  { name: "empty string", text: 'title eq ""', ast: cmp("title", "eq", "") },
  { name: "brackets and keywords inside strings", text: 'title eq "a] or (b"', ast: cmp("title", "eq", "a] or (b") },
  // Precedence: not > and > or; left-associative.
  {
    name: "and binds tighter than or",
    text: 'a eq "1" or b eq "2" and c eq "3"',
    ast: or(cmp("a", "eq", "1"), and(cmp("b", "eq", "2"), cmp("c", "eq", "3"))),
  },
  {
    name: "and before or on the left",
    text: 'a eq "1" and b eq "2" or c eq "3"',
    ast: or(and(cmp("a", "eq", "1"), cmp("b", "eq", "2")), cmp("c", "eq", "3")),
  },
  { name: "or is left-associative", text: "a pr or b pr or c pr", ast: or(or(pr("a"), pr("b")), pr("c")) },
  { name: "parentheses override", text: '(a eq "1" or b eq "2") and c pr', ast: and(or(cmp("a", "eq", "1"), cmp("b", "eq", "2")), pr("c")) },
  { name: "redundant parentheses", text: "((a pr))", ast: pr("a") },
  { name: "not", text: 'not (a eq "1")', ast: not(cmp("a", "eq", "1")) },
  { name: "NOT case-insensitive, no space", text: "NOT(a pr)", ast: not(pr("a")) },
  { name: "not binds tighter than and", text: "not (a pr) and b pr", ast: and(not(pr("a")), pr("b")) },
  {
    name: "RFC example with not and or",
    text: 'userType eq "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    ast: and(cmp("userType", "eq", "Employee"), not(or(cmp("emails", "co", "example.com"), cmp("emails.value", "co", "example.org")))),
  },
  { name: "whitespace is free", text: '  a  eq\t"1"\n ', ast: cmp("a", "eq", "1") },
  // Value paths.
  { name: "value path", text: 'emails[type eq "work"]', ast: vp("emails", cmp("type", "eq", "work")) },
  {
    name: "value path with and (RFC example)",
    text: 'emails[type eq "work" and value co "@example.com"]',
    ast: vp("emails", and(cmp("type", "eq", "work"), cmp("value", "co", "@example.com"))),
  },
  {
    name: "value path combined with or",
    text: 'userType eq "Employee" and emails[type eq "work" or value pr]',
    ast: and(cmp("userType", "eq", "Employee"), vp("emails", or(cmp("type", "eq", "work"), pr("value")))),
  },
  {
    name: "value path inside not",
    text: 'not (members[value eq "1"])',
    ast: not(vp("members", cmp("value", "eq", "1"))),
  },
  // URN-qualified (the URN contains "2.0"; the attribute follows the LAST colon).
  { name: "URN attribute", text: `${ENT}:department eq "Sales"`, ast: cmp(path("department", undefined, ENT), "eq", "Sales") },
  { name: "URN attribute.sub", text: `${ENT}:manager.value eq "42"`, ast: cmp(path("manager", "value", ENT), "eq", "42") },
  { name: "core URN", text: `${CORE_USER}:userName eq "x"`, ast: cmp(path("userName", undefined, CORE_USER), "eq", "x") },
  { name: "legacy dot after extension URN", text: `${ENT}.department eq "Sales"`, ast: cmp(path("department", undefined, ENT), "eq", "Sales") },
  { name: "legacy dot with sub-attribute", text: `${ENT}.manager.value pr`, ast: pr(path("manager", "value", ENT)) },
  // Entra forms.
  {
    name: "value path followed by .sub eq",
    text: 'emails[type eq "work"].value eq "user@contoso.com"',
    ast: vp("emails", and(cmp("type", "eq", "work"), cmp("value", "eq", "user@contoso.com"))),
  },
  {
    name: "older Entra doc form: value path compared directly (azure-docs#83855)",
    text: 'emails[type eq "work"] eq "user@contoso.com"',
    ast: vp("emails", and(cmp("type", "eq", "work"), cmp("value", "eq", "user@contoso.com"))),
  },
  { name: "bare value", text: "externalId eq jyoung", ast: cmp("externalId", "eq", "jyoung") },
  { name: "bare e-mail value", text: "userName eq jyoung@contoso.com", ast: cmp("userName", "eq", "jyoung@contoso.com") },
  { name: "bare GUID", text: "id eq 9b8c1f1e-0000-4e5e-8c1a-3f2b", ast: cmp("id", "eq", "9b8c1f1e-0000-4e5e-8c1a-3f2b") },
  {
    name: "two eq joined with and",
    text: `id eq "1" and ${ENT}:manager eq "2"`,
    ast: and(cmp("id", "eq", "1"), cmp(path("manager", undefined, ENT), "eq", "2")),
  },
  { name: "$ref attribute", text: 'members.$ref pr', ast: pr("members.$ref") },
];

export const filterErrors: { name: string; text: string; detail: string }[] = [
  { name: "empty", text: "", detail: "filter is empty" },
  { name: "blank", text: "   ", detail: "filter is empty" },
  { name: "missing value", text: "userName eq", detail: "unexpected end of filter at position 11" },
  { name: "missing operator", text: "userName", detail: "unexpected end of filter at position 8; expected an operator" },
  { name: "unknown operator", text: 'userName is "x"', detail: 'unexpected "is" at position 9; expected an operator' },
  { name: "stray bracket", text: 'emails[type eq "work"]]', detail: 'unexpected "]" at position 22' },
  { name: "unclosed bracket", text: 'emails[type eq "work"', detail: 'unexpected end of filter at position 21; expected "]"' },
  { name: "unclosed paren", text: '(a eq "1"', detail: 'expected ")"' },
  { name: "not without parens", text: 'not a eq "1"', detail: 'unexpected "a" at position 4; expected "(" after not' },
  { name: "dangling and", text: 'a eq "1" and', detail: "unexpected end of filter at position 12; expected an attribute name" },
  { name: "two filters without and", text: 'a eq "1" b eq "2"', detail: 'unexpected "b" at position 9' },
  { name: "unterminated string", text: 'a eq "abc', detail: "unterminated string starting at position 5" },
  { name: "bad escape", text: String.raw`a eq "\x41"`, detail: "invalid escape in string at position 5" },
  { name: "bad character", text: 'a eq "1" & b pr', detail: 'unexpected character "&" at position 9' },
  { name: "attribute starting with a digit", text: '1a eq "x"', detail: '"1a" at position 0 is not a valid attribute path' },
  { name: "number where an attribute belongs", text: '42 eq "x"', detail: "unexpected 42 at position 0; expected an attribute name" },
  { name: "too many dots", text: 'name.givenName.x eq "a"', detail: '"name.givenName.x" at position 0 is not a valid attribute path' },
  { name: "empty URN", text: ':userName eq "a"', detail: "is not a valid attribute path" },
  { name: "and as a value", text: "a eq and", detail: 'unexpected "and" at position 5; expected a value' },
  { name: "value is a paren", text: "a eq (", detail: 'unexpected "(" at position 5; expected a value' },
  { name: "bad .sub after value path", text: 'emails[type pr].1x eq "a"', detail: "expected a sub-attribute" },
  { name: "too long", text: `a eq "${"x".repeat(4100)}"`, detail: "longer than 4096 characters" },
  { name: "too deep", text: `${"(".repeat(40)}a pr${")".repeat(40)}`, detail: "deeper than 32 levels" },
  { name: "too many comparisons", text: Array.from({ length: 51 }, (_, i) => `a${i} pr`).join(" or "), detail: "more than 50 comparisons" },
];

export const patchPathCases: { name: string; text: string; path: PatchPath }[] = [
  { name: "attr", text: "displayName", path: { path: path("displayName") } },
  { name: "attr.sub", text: "name.familyName", path: { path: path("name", "familyName") } },
  { name: "URN attr", text: `${ENT}:employeeNumber`, path: { path: path("employeeNumber", undefined, ENT) } },
  { name: "URN attr.sub", text: `${ENT}:manager.value`, path: { path: path("manager", "value", ENT) } },
  { name: "bare extension URN", text: ENT, path: { path: { urn: ENT, attribute: "" } } },
  { name: "bare extension URN, other case", text: ENT.toLowerCase(), path: { path: { urn: ENT, attribute: "" } } },
  { name: "legacy dot", text: `${ENT}.department`, path: { path: path("department", undefined, ENT) } },
  { name: "value filter", text: 'members[value eq "2819c223"]', path: { path: path("members"), filter: cmp("value", "eq", "2819c223") } },
  {
    name: "value filter then .sub",
    text: 'emails[type eq "work"].value',
    path: { path: path("emails"), filter: cmp("type", "eq", "work"), subAttribute: "value" },
  },
  {
    name: "filter with and, ] inside string",
    text: 'addresses[type eq "a]b" and primary eq true].streetAddress',
    path: { path: path("addresses"), filter: and(cmp("type", "eq", "a]b"), cmp("primary", "eq", true)), subAttribute: "streetAddress" },
  },
  { name: "surrounding spaces", text: "  title ", path: { path: path("title") } },
];

export const patchPathErrors: { name: string; text: string; detail: string }[] = [
  { name: "empty", text: "", detail: '"" is not a valid attribute path' },
  { name: "missing ]", text: 'emails[type eq "work"', detail: 'missing "]"' },
  { name: "sub then filter", text: 'name.givenName[value pr]', detail: "a value filter follows a multi-valued attribute" },
  { name: "bad filter", text: "emails[type eq]", detail: 'invalid path "emails[type eq]": unexpected end of filter' },
  { name: "junk after filter", text: 'emails[type eq "work"]value', detail: 'unexpected "value" after the value filter' },
  { name: "double sub after filter", text: 'emails[type eq "work"].value.x', detail: "after the value filter" },
  { name: "three dots", text: "a.b.c", detail: '"a.b.c" is not a valid attribute path' },
];
