// Tokens of the RFC 7644 §3.4.2.2 filter grammar, with positions for error details.
import { invalidFilter } from "../errors";

export type Token =
  | { kind: "word"; text: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "("; pos: number }
  | { kind: ")"; pos: number }
  | { kind: "["; pos: number }
  | { kind: "]"; pos: number }
  | { kind: "end"; pos: number };

// A word: an attribute path (possibly URN-qualified, dotted) or a keyword / bare value.
const WORD = /[A-Za-z0-9_$:.\-@+/#%~!*']/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === "[" || ch === "]") {
      tokens.push({ kind: ch, pos: i });
      i++;
      continue;
    }
    if (ch === '"') {
      const start = i;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`unterminated string starting at position ${start}`);
      try {
        tokens.push({ kind: "string", value: JSON.parse(text.slice(start, j + 1)) as string, pos: start });
      } catch {
        throw invalidFilter(`invalid escape in string at position ${start}`);
      }
      i = j + 1;
      continue;
    }
    if (WORD.test(ch)) {
      const start = i;
      while (i < text.length && WORD.test(text[i]!)) i++;
      const word = text.slice(start, i);
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) tokens.push({ kind: "number", value: Number(word), pos: start });
      else tokens.push({ kind: "word", text: word, pos: start });
      continue;
    }
    throw invalidFilter(`unexpected character "${ch}" at position ${i}`);
  }
  tokens.push({ kind: "end", pos: text.length });
  return tokens;
}

export function describe(token: Token): string {
  switch (token.kind) {
    case "word":
      return `"${token.text}"`;
    case "string":
      return JSON.stringify(token.value);
    case "number":
      return String(token.value);
    case "end":
      return "end of filter";
    default:
      return `"${token.kind}"`;
  }
}
