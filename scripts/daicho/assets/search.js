// daicho: the search page. Loaded only by search.html; nothing search-related loads elsewhere.
//
// Reads the static index daicho.search wrote (scripts/daicho/search.py: keep the two in step):
// a query's terms are the character bigrams of its Japanese runs and its other words; a page
// matches when it has every term of each word (or of one of the word's synonyms). Ranking:
// an id match, then a match in the title, then BM25 over the terms; the weights come from
// schemas/search.yaml through meta.json. Only the index files of the query's own terms are
// fetched, plus pages.json (lengths and facets, one character per page) once.
// Results and excerpts are built with DOM text nodes only: page text is never parsed as HTML.
(function () {
  "use strict";

  var MAX_PREFIX = 20, WIDE = 0x8000, DENSE = "!", PAGE_SIZE = 20, FIRST = 8;
  var JAPANESE = /[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var TOKEN = /"([^"]*)"?|(\S+)/g;
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  var number = function (n) { return n.toLocaleString("ja-JP"); };  // 17,099

  // Twin of daicho.search.normalize: NFKC, lower case, hiragana as katakana.
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/[\u3041-\u3096\u309d\u309e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    });
  }

  // The normalised query as [isJapanese, run] pieces (twin of daicho.search._split).
  function split(query) {
    var text = normalize(query), out = [], pos = 0, m;
    function words(part) { (part.match(WORD) || []).forEach(function (w) { out.push([false, w]); }); }
    JAPANESE.lastIndex = 0;
    while ((m = JAPANESE.exec(text)) !== null) {
      words(text.slice(pos, m.index));
      out.push([true, m[0]]);
      pos = m.index + m[0].length;
    }
    words(text.slice(pos));
    return out;
  }

  // Twin of daicho.search.query_terms.
  function queryTerms(query) {
    var out = [];
    split(query).forEach(function (piece) {
      var chars = Array.from(piece[1]);
      if (!piece[0]) { out.push(chars.slice(0, MAX_PREFIX).join("")); return; }
      if (chars.length === 1) out.push(chars[0]);
      // The covering bigrams: every other one, and the last (twin of _covering_bigrams).
      for (var i = 0; i + 1 < chars.length; i += 2) out.push(chars[i] + chars[i + 1]);
      if (chars.length > 1 && chars.length % 2) out.push(chars[chars.length - 2] + chars[chars.length - 1]);
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  // Twin of daicho.search.shard_of (FNV-1a, 32 bit, over code points).
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    Array.from(term).forEach(function (ch) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; });
    return h % shards;
  }

  // Twin of daicho.search.code_char, from the character's code.
  function decodeCode(c) {
    if (c >= 0x100) c = c - 0x100 + 0x7f;
    if (c > 0x5c) c -= 1;
    return c - 0x30;
  }
  function decode(ch) { return decodeCode(ch.charCodeAt(0)); }

  // The query as clauses: each word (or "phrase") with its alternatives (the word and its
  // synonyms), each alternative the terms it needs; "-word" excludes.
  function parse(query, synonyms) {
    var clauses = [], m;
    query = query.replace(/[“”＂]/g, '"');
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(query)) !== null) {
      var phrase = m[1] !== undefined, text = phrase ? m[1] : m[2], neg = false;
      if (!phrase && text.length > 1 && (text[0] === "-" || text[0] === "－")) {
        neg = true;
        text = text.slice(1);
        if (text[0] === '"') text = text.replace(/"/g, "");
      }
      var norm = normalize(text).trim();
      if (!norm) continue;
      var alts = [norm];
      if (!phrase) {
        (synonyms || []).forEach(function (group) {
          if (group.indexOf(norm) >= 0) alts = [norm].concat(group.filter(function (w) { return w !== norm; }));
        });
      }
      alts = alts.map(function (a) { return { text: a, terms: queryTerms(a) }; })
                 .filter(function (a) { return a.terms.length; });
      if (alts.length) clauses.push({ text: text, neg: neg, phrase: phrase, alts: alts });
    }
    return clauses;
  }

  // Original text → [normalised text, offset in the original of each normalised character].
  // Characters repeat, so each one is normalised once (``charNorm``).
  var charNorm = new Map();
  function mapped(text) {
    var norm = "", at = [], i = 0;
    Array.from(text).forEach(function (ch) {
      var n = charNorm.get(ch);
      if (n === undefined) charNorm.set(ch, (n = normalize(ch)));
      for (var k = 0; k < n.length; k++) at.push(i);
      norm += n;
      i += ch.length;
    });
    at.push(i);
    return [norm, at];
  }

  // Matches of the needles in the original text, as [start, end) offsets, in order.
  function matches(text, needles) {
    var nm = mapped(text), norm = nm[0], at = nm[1], out = [], pos = 0;
    while (pos < norm.length) {
      var best = -1, len = 0;
      needles.forEach(function (w) {
        var k = norm.indexOf(w, pos);
        if (k >= 0 && (best < 0 || k < best || (k === best && w.length > len))) { best = k; len = w.length; }
      });
      if (best < 0) break;
      out.push([at[best], at[best + len]]);
      pos = best + len;
    }
    return out;
  }

  // The section with most matches and an excerpt of it around the first one, as
  // [heading, [[text, highlighted], …]].
  function snippet(sections, needles) {
    var best = null;
    (sections || []).forEach(function (s) {
      var found = matches(s[1], needles);
      if (!best || found.length > best.found.length) best = { s: s, found: found };
    });
    if (!best) return ["", []];
    var text = best.s[1], found = best.found, chars = Array.from(text);
    var first = found.length ? found[0][0] : 0;
    var start = Math.max(0, first - 40), end = Math.min(text.length, first + 100);
    var pieces = [], pos = start;
    if (start > 0) pieces.push(["…", false]);
    found.forEach(function (f) {
      if (f[0] < pos || f[1] > end) return;
      if (f[0] > pos) pieces.push([text.slice(pos, f[0]), false]);
      pieces.push([text.slice(f[0], f[1]), true]);
      pos = f[1];
    });
    if (pos < end) pieces.push([text.slice(pos, end), false]);
    if (end < text.length && chars.length) pieces.push(["…", false]);
    return [best.s[0], pieces];
  }

  var root = new URL(".", document.currentScript ? new URL("../../", document.currentScript.src) : location.href);
  var form = document.getElementById("daicho-search-form");
  var input = document.getElementById("daicho-q");
  var status = document.getElementById("daicho-search-status");
  var list = document.getElementById("daicho-results");
  var meta = null, pagesInfo = null, files = {}, decoded = {}, seq = 0, timer = null;
  var state = null;  // the current query's hits: {query, hits, needles}
  var filters = {}, fieldSelect = null, filterBox = null, more = null;

  function fetchJSON(path) {
    return fetch(new URL("search-index/" + path, root).href).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function load() {
    if (!meta) meta = fetchJSON("meta.json");
    return meta;
  }

  // pages.json, decoded: lengths and each facet's value index per page.
  function loadPages() {
    if (!pagesInfo) {
      pagesInfo = fetchJSON("pages.json").then(function (p) {
        var out = { len: Array.from(p.n).map(decode), f: {} };
        Object.keys(p.f).forEach(function (name) { out.f[name] = Array.from(p.f[name]).map(decode); });
        return out;
      });
    }
    return pagesInfo;
  }

  function termFile(m, term) {
    return "t/" + (has(m.own, term) ? "x" + m.own[term] : shardOf(term, m.shards)) + ".json";
  }

  // One term's postings: ``pages`` in order, and ``at[page]`` the page's weight + 1 (0: not
  // there). Typed arrays, not a Map: a common term at 20,000 records has tens of thousands.
  // ``coded`` is the index's string (twin of daicho.search._encoded): per page, its number's
  // delta and its weight, each one character, a delta of WIDE or more led by a character from
  // U+E000 (code_number); or DENSE, the first page, then each page's weight (0: not there).
  function Postings(coded) {
    var pages = new Int32Array(coded.length), weights = new Uint8Array(coded.length);
    var n = 0, page = 0, i = 0, dense = coded[0] === DENSE;
    function next() {
      var c = coded.charCodeAt(i++), high = 0;
      if (c >= 0xe000) { high = (c - 0xe000) * WIDE; c = coded.charCodeAt(i++); }
      return high + decodeCode(c);
    }
    if (dense) { i = 1; page = next(); }
    while (i < coded.length) {
      if (dense) {
        var w = decodeCode(coded.charCodeAt(i++));
        if (w) { pages[n] = page; weights[n++] = w; }
        page++;
      } else {
        page += next();
        pages[n] = page;
        weights[n++] = decodeCode(coded.charCodeAt(i++));
      }
    }
    page = n ? pages[n - 1] : 0;
    var at = new Uint16Array(n ? page + 1 : 0);  // a weight + 1 may be 256
    for (var j = 0; j < n; j++) at[pages[j]] = weights[j] + 1;
    this.size = n;
    this.pages = pages.subarray(0, n);
    this.at = at;
  }
  Postings.prototype.get = function (page) { var w = this.at[page]; return w ? w - 1 : undefined; };

  // The postings of one term, from its (cached) index file; decoded once per term.
  function postings(m, term) {
    var name = termFile(m, term);
    if (!files[name]) files[name] = fetchJSON(name);
    if (!decoded[term]) {
      decoded[term] = files[name].then(function (file) { return new Postings(has(file, term) ? file[term] : ""); });
    }
    return decoded[term];
  }

  // Every matching page with its score, best first.
  function search(m, clauses, field) {
    var prefix = field ? "@" + field + ":" : "";
    var terms = [];
    clauses.forEach(function (c) { c.alts.forEach(function (a) { a.terms.forEach(function (t) { terms.push(prefix + t); }); }); });
    var positive = clauses.filter(function (c) { return !c.neg; });
    var idTerm = positive.length === 1 && !field ? "#" + normalize(positive[0].text).trim() : null;
    if (idTerm) terms.push(idTerm);
    var unique = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
    return Promise.all([loadPages()].concat(unique.map(function (t) { return postings(m, t); }))).then(function (got) {
      var info = got[0], lists = {};
      unique.forEach(function (t, i) { lists[t] = got[i + 1]; });
      var k1 = m.rank.k1, b = m.rank.b, N = m.pages;
      function bm25(list, w, page) {
        var tf = w >> 1, dl = Math.pow(2, info.len[page] / m.lengthSteps);
        var idf = Math.log(1 + (N - list.size + 0.5) / (list.size + 0.5));
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / m.avgdl));
      }
      // [score, in title] of the page's best alternative of a clause, or null.
      function clauseScore(c, page) {
        var best = null;
        c.alts.forEach(function (a) {
          var score = 0, title = true;
          for (var i = 0; i < a.terms.length; i++) {
            var list = lists[prefix + a.terms[i]], w = list.get(page);
            if (w === undefined) return;
            score += bm25(list, w, page);
            title = title && (w & 1) === 1;
          }
          if (!best || title > best[1] || (title === best[1] && score > best[0])) best = [score, title];
        });
        return best;
      }
      if (!positive.length) return { hits: [], info: info };
      // Candidates: the pages of the rarest term of the first clause's alternatives.
      var candidates = new Set();
      positive[0].alts.forEach(function (a) {
        var rare = a.terms.map(function (t) { return lists[prefix + t]; })
                          .sort(function (x, y) { return x.size - y.size; })[0];
        rare.pages.forEach(function (page) { candidates.add(page); });
      });
      var hits = [];
      candidates.forEach(function (page) {
        var score = 0, title = true;
        for (var i = 0; i < positive.length; i++) {
          var s = clauseScore(positive[i], page);
          if (!s) return;
          score += s[0];
          title = title && s[1];
        }
        for (var j = 0; j < clauses.length; j++) if (clauses[j].neg && clauseScore(clauses[j], page)) return;
        if (title) score += m.rank.title;
        if (idTerm && lists[idTerm].get(page) !== undefined) score += m.rank.id;
        hits.push([page, score]);
      });
      hits.sort(function (x, y) { return y[1] - x[1] || x[0] - y[0]; });
      return { hits: hits, info: info };
    });
  }

  // Hits that pass every selected filter but ``except`` (a facet name).
  function filtered(except) {
    var info = state.info;
    return state.hits.filter(function (h) {
      return Object.keys(filters).every(function (name) {
        return name === except || !filters[name].value || info.f[name][h[0]] === Number(filters[name].value);
      });
    });
  }

  // The filter selects, each option with the number of hits it would leave.
  function renderFilters(m) {
    Object.keys(m.facets).forEach(function (name) {
      var select = filters[name];
      if (!select) {
        select = filters[name] = labelled("daicho-filter-" + Object.keys(filters).length, name, "daicho-search-filter", filterBox, null);
        select.setAttribute("data-facet", name);
        select.addEventListener("change", function () { render(m, 0); });
      }
      var keep = select.value, counts = {}, base = filtered(name), column = state.info.f[name] || [];
      base.forEach(function (h) { var v = column[h[0]] || 0; counts[v] = (counts[v] || 0) + 1; });
      select.textContent = "";
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "すべて（" + number(base.length) + "）";
      select.appendChild(all);
      m.facets[name].forEach(function (value, i) {
        if (!counts[i + 1] && String(i + 1) !== keep) return;
        var o = document.createElement("option");
        o.value = String(i + 1);
        o.textContent = value + "（" + number(counts[i + 1] || 0) + "）";
        select.appendChild(o);
      });
      select.value = keep;
      if (select.value !== keep) select.value = "";
    });
    filterBox.hidden = !state.hits.length;
  }

  function item(m, d, page) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "daicho-result-title";
    a.href = new URL(d.u, root).href;
    a.textContent = d.t || d.u;
    li.appendChild(a);
    var kinds = state.info.f["種別"];
    if (kinds && kinds[page]) {
      var kind = document.createElement("span");
      kind.className = "daicho-result-kind";
      kind.textContent = m.facets["種別"][kinds[page] - 1];
      li.appendChild(kind);
    }
    var found = snippet(d.s, state.needles), p = document.createElement("p");
    if (found[0] && found[0] !== d.t) {
      var h = document.createElement("span");
      h.className = "daicho-result-heading";
      h.textContent = found[0] + "：";
      p.appendChild(h);
    }
    found[1].forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(piece[0]));
      }
    });
    li.appendChild(p);
    return li;
  }

  // Results [from, from + PAGE_SIZE) of the filtered hits; the first FIRST as soon as they load.
  function render(m, from) {
    var mine = seq, hits = filtered(null), to = Math.min(hits.length, from + PAGE_SIZE);
    // Every page file of the screen is requested at once; each part is shown in order.
    function part(a, z) {
      return Promise.all(hits.slice(a, z).map(function (h) { return fetchJSON("p/" + h[0] + ".json"); }));
    }
    function show(a) {
      return function (items) {
        if (mine !== seq) return;
        if (!a) list.textContent = "";
        items.forEach(function (d, i) { list.appendChild(item(m, d, hits[a + i][0])); });
      };
    }
    var cut = from ? to : Math.min(to, FIRST), first = part(from, cut), rest = part(cut, to);
    rest.catch(function () {});  // its failure is the chain's below, not an unhandled one
    var done = first.then(show(from)).then(function () { return rest; }).then(show(cut));
    renderFilters(m);  // while the page files are on their way (it keeps each selected value)
    return done.then(function () {
      if (mine !== seq) return;
      var total = state.hits.length, shown = hits.length;
      var count = function (n) { return number(n) + " 件"; };
      status.textContent = total
        ? "「" + state.query + "」: " + (shown === total ? count(total) : count(total) + "中 " + count(shown) + "（絞り込み）") +
          (shown > to ? "（上位 " + count(to) + "を表示）" : "")
        : "「" + state.query + "」に一致するページはありません。";
      more.hidden = to >= shown;
      more.onclick = function () { render(m, to); };
    });
  }

  function run(query) {
    var mine = ++seq;
    load().then(function (m) {
      var clauses = parse(query, m.synonyms);
      if (mine !== seq) return null;
      if (!clauses.length) { list.textContent = ""; status.textContent = ""; more.hidden = true; filterBox.hidden = true; return null; }
      status.textContent = "検索しています…";
      var field = fieldSelect && fieldSelect.value;
      return search(m, clauses, field).then(function (found) {
        if (mine !== seq) return null;
        var needles = [];
        clauses.forEach(function (c) { if (!c.neg) c.alts.forEach(function (a) { needles.push(a.text.replace(/\s+/g, "")); }); });
        state = { query: query, hits: found.hits || [], info: found.info, needles: needles };
        if (!state.hits.length) list.textContent = "";
        return render(m, 0);
      });
    }).catch(function () {
      status.textContent = "検索を読み込めませんでした（サイトを http で開いてください。ファイルを直接開いた場合は検索できません）。";
    });
  }

  // Search as the reader types: a search takes a few milliseconds plus the index files it has
  // not loaded yet, and an answer to an earlier keystroke is dropped (seq). Input events that
  // come while an input method is still composing (kana not yet converted) are skipped; the
  // composition's end searches.
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url.href);
      run(q);
    }, 0);
  }

  // A select with its own <label for> (its name is the label, not the options), in a box.
  function labelled(id, text, className, parent, before) {
    var box = document.createElement("span"), label = document.createElement("label"), select = document.createElement("select");
    box.className = className;
    label.htmlFor = select.id = id;
    label.textContent = text;
    box.appendChild(label);
    box.appendChild(select);
    parent.insertBefore(box, before);
    return select;
  }

  // The controls the index offers: 「項目で検索」 (public site) and the filters.
  function controls(m) {
    if (m.fields && m.fields.length && !fieldSelect) {
      fieldSelect = labelled("daicho-field", "項目", "daicho-search-field", form, form.querySelector("button"));
      [["", "すべての項目"]].concat(m.fields.map(function (f) { return [f, f]; })).forEach(function (f) {
        var o = document.createElement("option");
        o.value = f[0];
        o.textContent = f[1];
        fieldSelect.appendChild(o);
      });
      fieldSelect.addEventListener("change", schedule);
    }
  }

  if (!form || !input) return;
  filterBox = document.createElement("div");
  filterBox.className = "daicho-search-filters";
  filterBox.setAttribute("role", "group");
  filterBox.setAttribute("aria-label", "絞り込み");
  filterBox.hidden = true;
  form.parentNode.insertBefore(filterBox, status);
  more = document.createElement("button");
  more.type = "button";
  more.className = "daicho-more";
  more.textContent = "さらに表示";
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);
  // Fetch the index's meta.json and pages.json while the reader is still typing: the first
  // query then waits only for its own term files. A failure here is reported by the search
  // that needs it.
  load().then(function (m) { controls(m); return loadPages(); }).catch(function () {});
  form.addEventListener("submit", function (e) { e.preventDefault(); schedule(); });
  input.addEventListener("input", function (e) { if (!e.isComposing) schedule(); });
  input.addEventListener("compositionend", schedule);
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial.trim()); }
  // Exposed for the tests that compare them with Python's.
  window.daichoQueryTerms = queryTerms;
  window.daichoPostings = function (coded) { var p = new Postings(coded); return [Array.from(p.pages), Array.from(p.pages, p.get, p)]; };
  window.daichoParse = function (q) { return load().then(function (m) { return parse(q, m.synonyms); }); };
})();
