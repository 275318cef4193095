// 入力フォーム: builds the form for one record type from its spec (render/entry.py: the schema
// daicho validate uses, the catalogue's words, the repository's choices), keeps the record as
// data, checks it with a JSON Schema validator fed the same schema, and writes the file as
// `daicho fmt` would (entry-yaml.js). Record text only ever reaches the page as text nodes or
// form values, never as HTML.
import { dump, makeResolver, isRealDate } from "./entry-yaml.js";

const root = document.querySelector(".daicho-entry-app");
const statusLine = root.querySelector("[data-entry-status]");

// --- small helpers ---------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

export function jsonPath(path) {
  return "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

function fieldId(path) { return "f" + jsonPath(path); }

function getAt(data, path) {
  let node = data;
  for (const p of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[p];
  }
  return node;
}

function setAt(data, path, value) {
  let node = data;
  path.forEach((p, i) => {
    if (i === path.length - 1) { node[p] = value; return; }
    if (node[p] === undefined || node[p] === null || typeof node[p] !== "object") {
      node[p] = typeof path[i + 1] === "number" ? [] : {};
    }
    node = node[p];
  });
}

// Remove the value at `path`; objects the removal leaves empty go too (never lists, never the record).
function deleteAt(data, path) {
  const parent = getAt(data, path.slice(0, -1));
  if (!parent || typeof parent !== "object") return;
  if (Array.isArray(parent)) { parent[path[path.length - 1]] = ""; return; }  // an entry stays until removed
  delete parent[path[path.length - 1]];
  if (path.length > 1 && Object.keys(parent).length === 0 && !Array.isArray(getAt(data, path.slice(0, -2)))) {
    deleteAt(data, path.slice(0, -1));
  }
}

export function fill(template, fields) {
  return template.replace(/\{([^{}]+)\}/g, (_, name) => (name in fields ? String(fields[name]) : ""));
}

// --- dates: the importer's loose parsing (dates.parse_loose), shown back as 和暦 and 西暦 --------

function makeDates(d) {
  const loose = new RegExp(d.loose, "u");
  const eras = d.eras.map(([start, name]) => [start, name, Number(start.slice(0, 4))]);
  const startYear = Object.fromEntries(eras.map(([, name, y]) => [name, y]));
  return {
    parse(text) {
      const m = loose.exec(text.normalize("NFKC").trim());
      if (!m) return null;
      const g = m.groups;
      const year = g.era ? startYear[g.era] + (g.ey === "元" ? 1 : Number(g.ey)) - 1 : Number(g.y);
      const iso = `${String(year).padStart(4, "0")}-${g.m.padStart(2, "0")}-${g.d.padStart(2, "0")}`;
      return isRealDate(iso) ? iso : null;
    },
    wareki(iso) {
      const era = eras.find(([start]) => iso >= start);
      if (!era) return iso;
      const [y, m, day] = iso.split("-").map(Number);
      const n = y - era[2] + 1;
      return `${era[1]}${n === 1 ? "元" : n}年${m}月${day}日 (${iso})`;
    },
    fiscalYear(iso) { const [y, m] = iso.split("-").map(Number); return m >= 4 ? y : y - 1; },
  };
}

// --- schema errors in the catalogue's words (schemas.py _translate, the same templates) -------

const STRUCTURAL = new Set(["$ref", "properties", "items", "prefixItems", "allOf", "anyOf", "oneOf", "if",
  "then", "else", "not", "false", "additionalItems", "contains", "dependentSchemas", "unevaluatedProperties",
  "unevaluatedItems", "patternProperties", "propertyNames", "$recursiveRef", "$dynamicRef"]);

function decodePointer(pointer) {
  return pointer.replace(/^#/, "").split("/").slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function makeTranslator(spec) {
  const docs = { [spec.schema.$id]: spec.schema, [spec.common.$id]: spec.common };
  function resolveRef(base, ref) {
    const [file, fragment = ""] = ref.split("#");
    const url = file ? new URL(file, base).href : base;
    let node = docs[url];
    for (const seg of decodePointer("#" + fragment)) node = node[seg];
    return [url, node];
  }
  function schemaAt(segments) {
    let base = spec.schema.$id, node = spec.schema;
    for (const seg of segments) {
      if (seg === "$ref") [base, node] = resolveRef(base, node.$ref);
      else node = node[seg];
    }
    return node;
  }
  function titleAt(path) {
    let node = spec.schema, title = null;
    for (const part of path) {
      if (!node || typeof node !== "object") break;
      node = typeof part === "number" ? node.items : (node.properties || {})[part];
      if (node && typeof node === "object" && node.title) title = node.title;
    }
    return title;
  }
  const w = spec.words;
  return function translate(errors, data) {
    const items = [];
    for (const e of errors) {
      const kw = e.keyword;
      if (STRUCTURAL.has(kw)) continue;
      const segs = decodePointer(e.instanceLocation);
      const path = [];
      let cursor = data;
      for (const s of segs) {
        const key = Array.isArray(cursor) ? Number(s) : s;
        path.push(key);
        cursor = cursor === undefined || cursor === null ? undefined : cursor[key];
      }
      const inst = cursor;
      const kwSegs = decodePointer(e.keywordLocation);
      const node = schemaAt(kwSegs.slice(0, -1));
      const value = node[kw];
      const name = [...path].reverse().find((p) => typeof p === "string") || "記録";
      const title = titleAt(path) || (node.title ? node.title : name);
      const say = (code, fields = {}) => fill(w[code].message, { title, ...fields });
      if (kw === "required") {
        const props = node.properties || {};
        for (const key of value) {
          if (!inst || typeof inst !== "object" || key in inst) continue;
          const t = props[key] && typeof props[key] === "object" && props[key].title ? props[key].title : key;
          const label = t !== key ? fill(w["E-SCHEMA-REQUIRED"].label, { title: t }) : "";
          items.push(["E-SCHEMA-REQUIRED", say("E-SCHEMA-REQUIRED", { key, label }), [...path, key]]);
        }
      } else if (kw === "additionalProperties") {
        const allowed = Object.keys(node.properties || {});
        for (const key of Object.keys(inst || {})) {
          if (!allowed.includes(key)) items.push(["E-SCHEMA-ADDITIONAL", say("E-SCHEMA-ADDITIONAL", { key, hint: "" }), [...path, key]]);
        }
      } else if (inst === null || inst === "" || kw === "minLength") {
        items.push(["E-SCHEMA-UNFILLED", say("E-SCHEMA-UNFILLED"), path]);
      } else if (kw === "enum") {
        const values = value.map((v) => fill(w["E-SCHEMA-ENUM"].value, { value: v })).join("");
        items.push(["E-SCHEMA-ENUM", say("E-SCHEMA-ENUM", { values, hint: "" }), path]);
      } else if (kw === "const") {
        items.push(["E-SCHEMA-CONST", say("E-SCHEMA-CONST", { value }), path]);
      } else if (kw === "type") {
        const want = Array.isArray(value) ? value[0] : value;
        items.push(["E-SCHEMA-TYPE", say("E-SCHEMA-TYPE", { type: w["E-SCHEMA-TYPE"].types[want] || want }), path]);
      } else if (kw === "pattern") {
        const ex = node.examples || [];
        const hint = ex.length ? fill(w["E-SCHEMA-PATTERN"].hint, { example: ex[0] }) : "";
        const how = node["x-format"] ? fill(w["E-SCHEMA-PATTERN"].how, { format: node["x-format"] }) : "";
        items.push(["E-SCHEMA-PATTERN", say("E-SCHEMA-PATTERN", { how, hint }), path]);
      } else if (kw === "format") {
        items.push(["E-SCHEMA-FORMAT", say("E-SCHEMA-FORMAT"), path]);
      } else if (["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"].includes(kw)) {
        const side = w["E-SCHEMA-RANGE"].side[kw.includes("inimum") ? "min" : "max"];
        items.push(["E-SCHEMA-RANGE", say("E-SCHEMA-RANGE", { limit: value, side }), path]);
      } else if (kw === "minItems") {
        items.push(["E-SCHEMA-MINITEMS", say("E-SCHEMA-MINITEMS", { limit: value }), path]);
      } else if (kw === "uniqueItems") {
        items.push(["E-SCHEMA-UNIQUE", say("E-SCHEMA-UNIQUE"), path]);
      } else {
        items.push([`E-SCHEMA-${kw.toUpperCase()}`, `「${title}」が正しくありません（${kw}）`, path]);
      }
    }
    // As schema_issues: a date's pattern error is said by its format error; one per code and place.
    const formats = new Set(items.filter((i) => i[0] === "E-SCHEMA-FORMAT").map((i) => jsonPath(i[2])));
    const seen = new Set();
    return items.filter(([code, , path]) => {
      const key = code + " " + jsonPath(path);
      if ((code === "E-SCHEMA-PATTERN" && formats.has(jsonPath(path))) || seen.has(key)) return false;
      seen.add(key);
      return true;
    }).map(([code, message, path]) => ({ code, message, path }));
  };
}

// --- the form ---------------------------------------------------------------------------------

async function main() {
  const specUrl = new URL(root.dataset.spec, location.href);
  const editId = new URLSearchParams(location.search).get("edit");
  // The spec, the validator's modules and the record load side by side.
  const [spec, Validator, recordResponse] = await Promise.all([
    fetch(specUrl).then((r) => r.json()),
    root.dataset.vendor ? import(new URL(root.dataset.vendor, location.href).href).then((m) => m.Validator, () => null) : null,
    editId ? fetch(new URL(`records/${encodeURIComponent(editId)}.json`, specUrl)) : null,
  ]);
  if (recordResponse && !recordResponse.ok) { statusLine.textContent = `記録「${editId}」が見つかりません。`; return; }
  const record = recordResponse ? await recordResponse.json() : null;
  const resolves = makeResolver(spec.resolver);
  const dates = makeDates(spec.dates);
  const translate = makeTranslator(spec);
  const state = record ? structuredClone(record.data) : {};
  let rand = "";
  const touched = new Set();
  let checkedOnce = false;
  let validator = null;
  if (Validator) {
    validator = new Validator(spec.schema, "2020-12", false);
    validator.addSchema(spec.common);
  }

  function newRand() {
    const bytes = crypto.getRandomValues(new Uint8Array(5));
    return Array.from(bytes, (b) => spec.id.alphabet[b % spec.id.alphabet.length]).join("");
  }

  // The id and path `daicho new` would use; a new random part if it is already taken.
  function place() {
    if (record) return { id: record.id, path: record.path };
    const { template, folder, dept: deptField, fy: fyFields } = spec.id;
    let dept = deptField ? state[deptField] : "";
    if (Array.isArray(dept)) dept = dept[0];
    if (deptField && !dept) return { id: null, path: null, missing: deptField };
    let fy = dates.fiscalYear(spec.today);
    // The first filled field of x-daicho id_from.fy (dotted paths), as TypeInfo.id_parts reads it.
    const source = fyFields.map((p) => p.split(".").reduce((v, k) => (v && typeof v === "object" ? v[k] : undefined), state))
      .find((v) => v !== undefined && v !== null && v !== "");
    if (typeof source === "number") fy = source;
    else if (typeof source === "string" && isRealDate(source)) fy = dates.fiscalYear(source);
    else if (fyFields.length && template.includes("{fy}") && !template.includes("{rand}")) return { id: null, path: null, missing: fyFields[0] };
    for (;;) {
      if (!rand) rand = newRand();
      const id = template.replace("{fy}", fy).replace("{dept}", dept).replace("{rand}", rand);
      if (!spec.ids.includes(id) || !template.includes("{rand}")) {
        return { id, path: `${folder.replace("{fy}", fy)}/${id}.yaml`, taken: spec.ids.includes(id) };
      }
      rand = "";
    }
  }

  function syncId() {
    if (record) return;
    const p = place();
    if (p.id) state.id = p.id; else delete state.id;
    if ("実施機関" in (spec.layout.properties || {}) && !state["実施機関"] && typeof state["所管課"] === "string") {
      const organ = spec.organs[state["所管課"]];
      if (organ) state["実施機関"] = organ;
    }
  }

  // ---- widgets
  const layout = spec.layout;

  function labelFor(id, sch, key, required) {
    const label = el("label", { for: id, class: "daicho-entry-label" }, document.createTextNode(sch.title || String(key)));
    if (required) label.append(el("span", { class: "daicho-entry-req", text: "（必須）" }));
    return label;
  }

  function help(id, sch) {
    const text = sch.description || "";
    return text ? el("p", { class: "daicho-entry-help", id: id + "-help", text }) : null;
  }

  function errorSlot(id) {
    return el("p", { class: "daicho-entry-error", id: id + "-error", hidden: true });
  }

  function describe(control, id, sch, extra = []) {
    const ids = [sch.description ? id + "-help" : null, ...extra, id + "-error"].filter(Boolean);
    control.setAttribute("aria-describedby", ids.join(" "));
  }

  function changed(path, value) {
    if (value === undefined) deleteAt(state, path); else setAt(state, path, value);
    touched.add(jsonPath(path));
    syncId();
    refresh();
  }

  function scalarWidget(path, sch, required, key) {
    const id = fieldId(path);
    const wrap = el("div", { class: "daicho-entry-field" });
    const current = getAt(state, path);
    const choiceList = sch["x-ref"] && spec.choices[sch["x-ref"]];
    let control;
    if (path.length === 1 && path[0] === "id") {
      control = el("output", { id, class: "daicho-entry-id", "aria-live": "polite" });
      wrap.append(el("span", { class: "daicho-entry-label", id: id + "-label", text: sch.title || "ID" }), control,
        el("p", { class: "daicho-entry-help", id: id + "-help", text: record ? "修正では ID は変えられません。" : "daicho new と同じ規則で自動的に付けます（部署と年度から。末尾の5文字はほかの記録と重ならない記号）。" }));
      control.setAttribute("aria-labelledby", id + "-label");
      control.setAttribute("aria-describedby", id + "-help");
      return wrap;
    }
    if (sch.enum || choiceList || sch.type === "boolean") {
      control = el("select", { id, name: id });
      control.append(el("option", { value: "", text: "（選択してください）" }));
      let options;
      if (sch.type === "boolean") options = [["true", "はい"], ["false", "いいえ"]];
      else if (sch.enum) options = sch.enum.map((v) => [String(v), (sch["x-labels"] || {})[v] ? `${v}（${sch["x-labels"][v]}）` : String(v)]);
      else options = choiceList.map(([v, name]) => [v, name ? `${v} ${name}` : v]);
      const cur = current === undefined || current === null ? "" : String(current);
      if (cur && !options.some(([v]) => v === cur)) options.push([cur, cur]);
      for (const [v, text] of options) control.append(el("option", { value: v, text, selected: v === cur }));
      control.addEventListener("change", () => {
        const v = control.value;
        if (v === "") changed(path, undefined);
        else if (sch.type === "boolean") changed(path, v === "true");
        else if (sch.type === "integer" && /^[0-9]+$/.test(v)) changed(path, Number(v));
        else changed(path, v);
      });
    } else {
      const multiline = sch.type === "string" && !sch.format && !sch.pattern && !sch.minLength && !sch.examples;
      control = multiline ? el("textarea", { id, name: id, rows: 2 }) : el("input", { id, name: id, type: "text" });
      if (sch.type === "integer") control.setAttribute("inputmode", "numeric");
      control.value = current === undefined || current === null ? "" : (sch.format === "date" && typeof current === "string" && isRealDate(current) ? current : String(current));
      control.addEventListener("change", () => {
        // Unicode line separators as "\n": YAML would fold them where they are written quoted.
        const raw = control.value.replace(/\r\n?|[\x85\u2028\u2029]/gu, "\n");
        if (raw.trim() === "" && sch.type !== "string") return changed(path, undefined);
        if (raw === "") return changed(path, undefined);
        if (sch.type === "integer") {
          const n = raw.normalize("NFKC").trim();
          return changed(path, /^-?[0-9]+$/.test(n) ? Number(n) : raw);
        }
        if (sch.format === "date") {
          const iso = dates.parse(raw);
          if (iso) control.value = iso;
          return changed(path, iso || raw);
        }
        return changed(path, raw);
      });
    }
    if (required) control.setAttribute("aria-required", "true");
    const extra = [];
    wrap.append(labelFor(id, sch, key, required), control);
    if (sch.format === "date") {
      const reading = el("p", { class: "daicho-entry-reading", id: id + "-reading", "aria-live": "polite" });
      reading.dataset.readingFor = JSON.stringify(path);
      wrap.append(reading);
      extra.push(id + "-reading");
    }
    const h = help(id, sch);
    if (h) wrap.append(h);
    if (sch.format === "date") wrap.append(el("p", { class: "daicho-entry-help", text: "和暦（令和7年6月27日）でも西暦（2025-06-27、2025/6/27）でも入力できます。" }));
    wrap.append(errorSlot(id));
    describe(control, id, sch, extra);
    return wrap;
  }

  function checkboxes(path, sch, required, key) {
    const id = fieldId(path);
    const fs = el("fieldset", { class: "daicho-entry-group", id });
    const legend = el("legend", { text: sch.title || key });
    if (required) legend.append(el("span", { class: "daicho-entry-req", text: "（必須）" }));
    fs.append(legend);
    const h = help(id, sch);
    if (h) fs.append(h);
    const current = getAt(state, path) || [];
    sch.items.enum.forEach((v, i) => {
      const cid = `${id}-${i}`;
      const box = el("input", { type: "checkbox", id: cid, value: v, checked: current.includes(v) });
      box.addEventListener("change", () => {
        const now = [...(getAt(state, path) || [])];
        const at = now.indexOf(v);
        if (box.checked && at < 0) now.push(v);
        if (!box.checked && at >= 0) now.splice(at, 1);
        changed(path, now.length ? now : undefined);
      });
      fs.append(el("div", { class: "daicho-entry-check" }, box, el("label", { for: cid, text: String(v) })));
    });
    fs.append(errorSlot(id));
    return fs;
  }

  function repeatable(path, sch, required, key) {
    const id = fieldId(path);
    const title = sch.title || key;
    const fs = el("fieldset", { class: "daicho-entry-group", id });
    const legend = el("legend", { text: title });
    if (required) legend.append(el("span", { class: "daicho-entry-req", text: "（必須）" }));
    fs.append(legend);
    const h = help(id, sch);
    if (h) fs.append(h);
    const items = getAt(state, path) || [];
    const isObject = sch.items && sch.items.type === "object";
    items.forEach((_, i) => {
      const itemPath = [...path, i];
      const box = isObject
        ? objectWidget(itemPath, sch.items, false, `${title} ${i + 1}`)
        : scalarWidget(itemPath, { ...sch.items, title: `${title} ${i + 1}` }, false, i);
      const remove = el("button", { type: "button", class: "daicho-entry-remove", text: `${title} ${i + 1} を削除` });
      remove.addEventListener("click", () => {
        const now = getAt(state, path);
        now.splice(i, 1);
        if (!now.length) deleteAt(state, path);
        touched.add(jsonPath(path));
        syncId();
        rebuild(fieldId(path) + "-add");
      });
      box.append(remove);
      fs.append(box);
    });
    const add = el("button", { type: "button", id: id + "-add", class: "daicho-entry-add", text: `${title}を追加` });
    add.addEventListener("click", () => {
      const now = getAt(state, path) || [];
      now.push(isObject ? {} : "");
      setAt(state, path, now);
      rebuild(null, [...path, now.length - 1]);
    });
    fs.append(add, errorSlot(id));
    return fs;
  }

  function objectWidget(path, sch, required, key) {
    const id = fieldId(path);
    const fs = el("fieldset", { class: "daicho-entry-group", id });
    const legend = el("legend", { text: typeof key === "string" && key.includes(" ") ? key : (sch.title || key) });
    if (required) legend.append(el("span", { class: "daicho-entry-req", text: "（必須）" }));
    fs.append(legend);
    const h = help(id, sch);
    if (h) fs.append(h);
    const req = sch.required || [];
    for (const [k, sub] of Object.entries(sch.properties || {})) fs.append(widget([...path, k], sub, req.includes(k), k));
    fs.append(errorSlot(id));
    return fs;
  }

  function widget(path, sch, required, key) {
    if (sch.type === "object" && sch.properties) return objectWidget(path, sch, required, key);
    if (sch.type === "array" && sch.items && sch.items.enum) return checkboxes(path, sch, required, key);
    if (sch.type === "array") return repeatable(path, sch, required, key);
    return scalarWidget(path, sch, required, key);
  }

  // ---- page
  const form = el("form", { class: "daicho-entry-form", novalidate: true, "aria-labelledby": "entry-heading" });
  const output = el("section", { class: "daicho-entry-output", "aria-labelledby": "entry-output-heading" });
  const summary = el("div", { class: "daicho-entry-summary", id: "entry-summary", tabindex: "-1" });

  function intro() {
    const box = el("div", { class: "daicho-entry-intro" });
    box.append(el("h2", { id: "entry-heading", text: record ? `${spec.title}「${record.id}」の修正` : `${spec.title}の新規作成` }));
    box.append(el("p", { text: "（必須）の付いた項目は必ず記入します。記入した内容はスキーマ（daicho validate と同じ規則）でその場で検査します。ID の重複、参照先の記録があるか、期限など記録どうしの整合は、提案した後にリポジトリの CI（daicho validate）が検査します。" }));
    if (!validator) box.append(el("p", { class: "daicho-entry-note", text: "このサイトには入力中の検査の部品が入っていないため、検査は提案した後の CI だけで行います。" }));
    if (record && record.comments) box.append(el("p", { class: "daicho-entry-note", text: "このファイルにはコメント（# で始まる行）があります。このフォームで保存するとコメントはなくなります。残したいときはリポジトリの画面でファイルを直接編集してください。" }));
    return box;
  }

  function rebuild(focusId, focusPath) {
    form.replaceChildren();
    form.append(intro());
    const req = layout.required || [];
    for (const [k, sub] of Object.entries(layout.properties || {})) form.append(widget([k], sub, req.includes(k), k));
    const save = el("button", { type: "submit", id: "entry-save", class: "daicho-entry-save", text: "ファイルを作る" });
    form.append(summary, save);
    refresh();
    let target = focusId ? document.getElementById(focusId) : null;
    if (focusPath) {  // a new entry: its field, or the first field of its group
      const node = document.getElementById(fieldId(focusPath));
      target = node && node.matches("fieldset") ? node.querySelector("input, select, textarea") : node;
    }
    if (target) target.focus();
  }

  function errorsNow() {
    if (!validator) return [];
    return translate(validator.validate(state).errors, state);
  }

  function refresh() {
    const p = place();
    const idOut = document.getElementById(fieldId(["id"]));
    if (idOut) idOut.textContent = p.id || `（${(spec.layout.properties[p.missing] || {}).title || p.missing}を選ぶと決まります）`;
    for (const r of form.querySelectorAll("[data-reading-for]")) {
      const v = getAt(state, JSON.parse(r.dataset.readingFor));
      r.replaceChildren();
      if (typeof v === "string" && isRealDate(v)) r.append("読み: ", el("time", { datetime: v, text: dates.wareki(v) }));
    }
    const errors = errorsNow();
    for (const slot of form.querySelectorAll(".daicho-entry-error")) { slot.hidden = true; slot.textContent = ""; }
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    for (const e of errors) {
      const key = jsonPath(e.path);
      if (!checkedOnce && !touched.has(key)) continue;
      const slot = nearestSlot(e.path);
      if (!slot) continue;
      slot.hidden = false;
      slot.append(el("span", { class: "daicho-entry-code", text: `エラー[${e.code}] ` }), document.createTextNode(e.message), document.createTextNode(" "));
      const control = document.getElementById(slot.id.replace(/-error$/, ""));
      if (control && control.matches("input, select, textarea")) control.setAttribute("aria-invalid", "true");
    }
    summary.replaceChildren();
    if (checkedOnce) {
      if (errors.length) {
        summary.append(el("h3", { text: `入力の誤り（${errors.length} 件）` }));
        const list = el("ul");
        for (const e of errors) {
          const slot = nearestSlot(e.path);
          const target = slot ? slot.id.replace(/-error$/, "") : "";
          const item = el("li", { "data-code": e.code });
          item.append(el("span", { class: "daicho-entry-code", text: `エラー[${e.code}] ` }));
          item.append(target ? el("a", { href: "#" + target, text: e.message }) : document.createTextNode(e.message));
          item.append(document.createTextNode(` (${jsonPath(e.path)})`));
          list.append(item);
        }
        summary.append(list);
      } else if (validator) {
        summary.append(el("p", { text: "スキーマの検査では誤りはありません。" }));
      }
    }
    return errors;
  }

  function nearestSlot(path) {
    for (let n = path.length; n >= 0; n--) {
      const slot = document.getElementById(fieldId(path.slice(0, n)) + "-error");
      if (slot) return slot;
    }
    return null;
  }

  // ---- output: the file, and where it goes
  function showOutput(errors) {
    const p = place();
    output.replaceChildren();
    output.append(el("h2", { id: "entry-output-heading", tabindex: "-1", text: "作ったファイル" }));
    if (!p.id) {
      output.append(el("p", { text: "ID が決まっていないため、ファイルを作れません。" }));
      return;
    }
    const text = dump(state, layout, resolves);
    output.append(el("p", {}, document.createTextNode("ファイルの場所: "), el("code", { class: "daicho-entry-path", text: p.path })));
    if (p.taken && !record) output.append(el("p", { class: "daicho-entry-note", text: `「${p.id}」はすでにあります。新規作成ではなく、その記録のページの「この記録を修正」から直してください。` }));
    if (errors.length) output.append(el("p", { class: "daicho-entry-note", text: `入力の誤りが ${errors.length} 件あります。このまま提案すると CI（daicho validate）で不合格になります。` }));
    const area = el("textarea", { id: "entry-yaml", class: "daicho-entry-yaml", readonly: true, rows: Math.min(30, text.split("\n").length + 1), "aria-label": "作ったファイルの内容（YAML）" });
    area.value = text;
    output.append(area);
    const actions = el("div", { class: "daicho-entry-actions" });
    const copy = el("button", { type: "button", id: "entry-copy", text: "内容をコピー" });
    const note = el("p", { class: "daicho-entry-copied", "aria-live": "polite" });
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(text); note.textContent = "コピーしました。"; }
      catch (e) { area.focus(); area.select(); note.textContent = "内容を選択しました。Ctrl+C でコピーしてください。"; }
    });
    const blob = URL.createObjectURL(new Blob([text], { type: "text/yaml;charset=utf-8" }));
    const download = el("a", { href: blob, download: p.path.split("/").pop(), id: "entry-download", class: "daicho-entry-button", text: "ファイルをダウンロード" });
    actions.append(copy, download);
    const f = spec.forge;
    const steps = el("ol", { class: "daicho-entry-steps" });
    const enc = (s) => s.split("/").map(encodeURIComponent).join("/");
    if (record && f.edit) {
      actions.append(el("a", { href: f.edit + enc(p.path), id: "entry-forge", class: "daicho-entry-button", text: "リポジトリの編集画面を開く" }));
      steps.append(el("li", { text: "「内容をコピー」を押します。" }), el("li", { text: "「リポジトリの編集画面を開く」で開いた画面で、内容をすべて選んで貼り付けます。" }), el("li", { text: "変更内容を一言書き、新しいブランチを作ってプルリクエストを開く方を選んで保存します。" }));
    } else if (!record && f.prefills && f.new) {
      let url = `${f.new}?filename=${encodeURIComponent(p.path)}&value=${encodeURIComponent(text)}`;
      const fits = url.length <= f.max_url;
      if (!fits) url = `${f.new}?filename=${encodeURIComponent(p.path)}`;
      actions.append(el("a", { href: url, id: "entry-forge", class: "daicho-entry-button", text: "提案する（リポジトリの新規ファイル画面を開く）" }));
      if (!fits) steps.append(el("li", { text: "内容が長いため、ファイル名だけを入れた画面を開きます。先に「内容をコピー」を押し、開いた画面に貼り付けてください。" }));
      steps.append(el("li", { text: "開いた画面でファイル名と内容が入っていることを確かめます。" }), el("li", { text: "変更内容を一言書き、新しいブランチを作ってプルリクエストを開く方を選んで保存します。" }));
    } else if (f.new) {
      const folder = p.path.split("/").slice(0, -1).join("/");
      actions.append(el("a", { href: `${f.new}/${enc(folder)}`, id: "entry-forge", class: "daicho-entry-button", text: "リポジトリの新規ファイル画面を開く" }));
      steps.append(el("li", { text: "「内容をコピー」を押します。" }), el("li", {}, document.createTextNode("開いた画面でファイル名に "), el("code", { text: p.path.split("/").pop() }), document.createTextNode(" と入力し、内容を貼り付けます。")), el("li", { text: "新しいブランチとマージリクエストを作る方を選んで保存します。" }));
    } else {
      steps.append(el("li", { text: "「内容をコピー」又は「ファイルをダウンロード」を押します。" }), el("li", {}, document.createTextNode("リポジトリのウェブ画面で "), el("code", { text: p.path }), document.createTextNode(" を作り（修正ならそのファイルを開き）、内容を貼り付けます。")), el("li", { text: "新しいブランチで保存し、プルリクエストを開きます。" }));
    }
    output.append(actions, note, el("h3", { text: "提案の手順" }), steps);
    output.append(el("p", { text: "提案すると CI が daicho validate で検査し、誤りは変更した行に表示されます。個人情報保護の担当が確認してから取り込みます。" }));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    checkedOnce = true;
    const errors = refresh();
    showOutput(errors);
    if (errors.length) summary.focus(); else document.getElementById("entry-output-heading").focus();
  });

  syncId();
  statusLine.remove();
  root.append(form, output);
  // ?add=検査 (from the contract page): a new, empty entry in that list, with the focus.
  const add = new URLSearchParams(location.search).get("add");
  const addSchema = add && (layout.properties || {})[add];
  if (record && addSchema && addSchema.type === "array") {
    const list = Array.isArray(state[add]) ? state[add] : (state[add] = []);
    list.push(addSchema.items && addSchema.items.type === "object" ? {} : "");
    rebuild(null, [add, list.length - 1]);
  } else {
    rebuild();
  }
  if (record) document.title = document.title.replace("の入力フォーム", `の修正（${record.id}）`);
}

main().catch((error) => {
  statusLine.textContent = "フォームを読み込めませんでした。ページを読み込み直してください。";
  console.error(error);
});
