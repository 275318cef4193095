// A record as YAML, byte for byte as `daicho fmt` writes it (daicho/yamlfmt.py: ruamel.yaml,
// round trip, mapping indent 2, sequence indent 4 with offset 2, width 10000, unicode kept).
// Port of the parts of ruamel's emitter that records use: block mappings and sequences, plain,
// single- and double-quoted scalars, literal blocks for text with line breaks, [] and {} when
// empty. Which plain scalars would read back as another type comes from ruamel's own resolver
// table, passed in by the build (spec.resolver), so the two cannot drift apart.
// tests/test_entry_yaml.py runs this file under Node against yamlfmt on generated values.

const BREAKS = "\n\x85\u2028\u2029";
const SPACE_OR_BREAK = "\0 \t\r\n\x85\u2028\u2029";
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export function isRealDate(text) {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

// ruamel's VersionedResolver for YAML 1.2: {first character: [pattern, …]}, "" for the empty
// string; a plain scalar that one of its patterns matches would not read back as a string.
export function makeResolver(table) {
  const compiled = {};
  for (const [first, patterns] of Object.entries(table)) {
    compiled[first] = patterns.map((p) => new RegExp(p, "u"));
  }
  return (text) => (compiled[text === "" ? "" : text[0]] || []).some((re) => re.test(text));
}

function isUnicodeAllowed(ch) {
  const c = ch.codePointAt(0);
  return (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
          (c >= 0x10000 && c <= 0x10ffff)) && c !== 0xfeff;
}

// emitter.analyze_scalar, for block context with allow_unicode.
export function analyze(text) {
  if (!text) return { empty: true, multiline: false, blockPlain: true, single: true, block: false };
  const chars = Array.from(text);  // code points, as Python iterates a str
  let blockIndicators = false, lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false;
  if (text.startsWith("---") || text.startsWith("...")) blockIndicators = true;
  let preceded = true;
  let followed = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1]);
  let previousSpace = false, previousBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      if ("?:".includes(ch) && followed) blockIndicators = true;
      if (ch === "-" && followed) blockIndicators = true;
    } else {
      if (ch === ":" && followed) blockIndicators = true;
      if (ch === "#" && preceded) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!(ch === "\n" || (ch >= "\x20" && ch <= "\x7e"))) {
      if (!isUnicodeAllowed(ch)) special = true;
    }
    if (ch === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true; previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false; previousBreak = true;
    } else {
      previousSpace = false; previousBreak = false;
    }
    preceded = SPACE_OR_BREAK.includes(ch);
    followed = i + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 2]);
  }
  let blockPlain = true, single = true, block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = single = false;
  if (special) blockPlain = single = block = false;
  else if (spaceBreak) { blockPlain = single = false; block = false; }
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { empty: false, multiline: lineBreaks, blockPlain, single, block };
}

const ESCAPES = { "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\x0b": "v", "\f": "f",
  "\r": "r", "\x1b": "e", "\"": "\"", "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P" };

function hex(c, width) { return c.toString(16).toUpperCase().padStart(width, "0"); }

function doubleQuoted(text) {
  let out = "\"";
  for (const ch of text) {
    const c = ch.codePointAt(0);
    const raw = (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    if (raw && !"\"\\\x85\u2028\u2029\ufeff".includes(ch)) out += ch;
    else if (ch in ESCAPES) out += "\\" + ESCAPES[ch];
    else if (c <= 0xff) out += "\\x" + hex(c, 2);
    else if (c <= 0xffff) out += "\\u" + hex(c, 4);
    else out += "\\U" + hex(c, 8);
  }
  return out + "\"";
}

function singleQuoted(text) {
  return "'" + text.replace(/'/g, "''") + "'";
}

// A string scalar after `key: ` or `- `; text with line breaks becomes a literal block whose
// lines are indented to `indent`. Returns [text, keep] (keep: a `|+` block, which ends the
// document with `...` when it is the last node, as ruamel does).
function scalar(text, indent, resolves, inKey) {
  const a = analyze(text);
  if (!(inKey && (a.empty || a.multiline)) && a.blockPlain && !resolves(text)) return [text, false];
  // Text typed with line breaks: a literal block, which `daicho fmt` keeps as it is (only
  // "\n" breaks; the rarer Unicode breaks go double-quoted).
  if (a.multiline && !inKey && a.block && !/[\x85\u2028\u2029]/u.test(text)) return literal(text, indent);
  if (text.includes("'") || text.includes("\n")) return [doubleQuoted(text), false];
  if (a.single && !(inKey && a.multiline)) return [singleQuoted(text), false];
  return [doubleQuoted(text), false];
}

function literal(text, indent) {
  let hints = "";
  if (" \n\x85\u2028\u2029".includes(text[0])) hints += "2";
  let keep = false;
  const last = text[text.length - 1];
  if (!BREAKS.includes(last)) hints += "-";
  else if (text.length === 1 || BREAKS.includes(text[text.length - 2])) { hints += "+"; keep = true; }
  const pad = " ".repeat(indent);
  const lines = text.split("\n");
  if (BREAKS.includes(last)) lines.pop();  // the final break ends the last line
  const body = lines.map((line) => (line === "" ? "" : pad + line)).join("\n");
  return ["|" + hints + "\n" + body, keep];
}

// Keys in the schema's order, unknown keys after them in their own order (yamlfmt._canon).
function ordered(node, schema) {
  const props = (schema && schema.properties) || {};
  const keys = Object.keys(node);
  return [...Object.keys(props).filter((k) => keys.includes(k)), ...keys.filter((k) => !(k in props))];
}

function plainValue(value, resolves) {
  if (value === null || value === undefined) return "";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") return String(value);
  return null;
}

function isEmptyCollection(value) {
  return (Array.isArray(value) && value.length === 0) ||
    (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
}

// `value` written after "key:" (or "-") at nesting `indent`; `schema` gives the key order.
function emitValue(value, schema, indent, resolves, out) {
  const simple = plainValue(value, resolves);
  if (simple !== null) return simple === "" ? "" : " " + simple;
  if (typeof value === "string") {
    if (isRealDate(value)) return " " + value;  // yamlfmt writes dates as dates: plain
    const [text, keep] = scalar(value, indent + 2, resolves, false);
    out.keep = keep;
    return " " + text;
  }
  if (Array.isArray(value)) return value.length ? "\n" + emitSeq(value, schema && schema.items, indent + 2, resolves, out) : " []";
  return Object.keys(value).length ? "\n" + emitMap(value, schema, indent + 2, resolves, out) : " {}";
}

function emitMap(node, schema, indent, resolves, out) {
  const pad = " ".repeat(indent);
  let text = "";
  for (const key of ordered(node, schema)) {
    const [k] = scalar(key, indent, resolves, true);
    out.keep = false;
    const sub = schema && schema.properties ? schema.properties[key] : undefined;
    text += pad + k + ":" + emitValue(node[key], sub, indent, resolves, out) + "\n";
  }
  return text.slice(0, -1);
}

function emitSeq(items, schema, indent, resolves, out) {
  const pad = " ".repeat(indent);
  let text = "";
  for (const item of items) {
    out.keep = false;
    if (item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length) {
      const inner = emitMap(item, schema, indent + 2, resolves, out);
      text += pad + "- " + inner.slice(indent + 2) + "\n";
    } else if (Array.isArray(item) && item.length) {
      throw new Error("nested sequences are not used by records");
    } else {
      const v = emitValue(item, schema, indent, resolves, out);
      text += pad + "-" + (isEmptyCollection(item) || v ? v : "") + "\n";
    }
  }
  return text.slice(0, -1);
}

// The whole file.
export function dump(data, schema, resolves) {
  const out = { keep: false };
  const body = emitMap(data, schema, 0, resolves, out);
  return body + "\n" + (out.keep ? "...\n" : "");
}
