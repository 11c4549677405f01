// JSON split into tokens for highlighting: keys, strings, numbers, booleans, null and
// punctuation. Lossless (the tokens' texts joined are the input) and total: malformed or
// half-typed JSON never throws, what is not JSON comes out as plain text, so an editor's
// highlighted layer always lines up with the text typed over it.

export type TokenKind = "key" | "string" | "number" | "boolean" | "null" | "punct" | "plain";

export interface Token {
  kind: TokenKind;
  text: string;
}

// Sticky (`y`): matched where `lastIndex` says, without copying the rest of the text, so a
// long document typed into an editor is tokenized in time proportional to its length.
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /(?:true|false|null)\b/y;

/** What `pattern` (sticky) matches at `at` in `text`, if anything. */
function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** The end (exclusive) of the string starting at `start` (a `"`): after its closing quote,
 *  or at the end of the line when it has none. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if (c === "\n") return i;
    else i += 1;
  }
  return text.length;
}

/** Whether the next character after `from` that is not white space is a colon. */
function colonFollows(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === ":") return true;
    if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") return false;
  }
  return false;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, t: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === "plain") last.text += t;
    else tokens.push({ kind, text: t });
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = stringEnd(text, i);
      push(colonFollows(text, end) ? "key" : "string", text.slice(i, end));
      i = end;
    } else if ("{}[]:,".includes(c)) {
      push("punct", c);
      i += 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const number = matchAt(NUMBER, text, i);
      const t = number ?? c;
      push(number ? "number" : "plain", t);
      i += t.length;
    } else if (c === "t" || c === "f" || c === "n") {
      const word = matchAt(WORD, text, i);
      if (word) {
        push(word === "null" ? "null" : "boolean", word);
        i += word.length;
      } else {
        push("plain", c);
        i += 1;
      }
    } else {
      push("plain", c);
      i += 1;
    }
  }
  return tokens;
}
