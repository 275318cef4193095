// daicho: the search page. Loaded only by search.html; nothing search-related loads elsewhere.
//
// Reads the static index daicho.search wrote (scripts/daicho/search.py: keep the two in step):
// a query's terms are the character bigrams of its Japanese runs and its other words; a page
// matches when it has every term. Only the index files of the query's own terms are fetched.
// Results and excerpts are built with DOM text nodes only: page text is never parsed as HTML.
(function () {
  "use strict";

  var MAX_PREFIX = 20;
  var JAPANESE = /[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var MAX_RESULTS = 20, FIRST = 8;
  var KIND = { jimu: "個人情報取扱事務", files: "個人情報ファイル", contracts: "委託契約",
               incidents: "漏えい等事案", requests: "開示・訂正・利用停止請求", departments: "所管課",
               inspections: "検査状況", report: "運用状況" };

  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }

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
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  // Twin of daicho.search.shard_of (FNV-1a, 32 bit, over code points).
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    Array.from(term).forEach(function (ch) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; });
    return h % shards;
  }

  // The parts of the query to highlight: its words, and for Japanese its runs.
  function needles(query) {
    var out = [];
    normalize(query).split(/\s+/).forEach(function (w) { if (w) out.push(w); });
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  // An excerpt around the first match, as a list of [text, highlighted] pieces.
  function excerpt(content, query) {
    var text = normalize(content).replace(/\s+/g, " ").trim(), words = needles(query), at = -1, i;
    for (i = 0; i < words.length && at < 0; i++) at = text.indexOf(words[i]);
    var start = Math.max(0, at - 40), end = Math.min(text.length, (at < 0 ? 0 : at) + 80);
    var window_ = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var pieces = [], rest = window_;
    while (rest) {
      var best = -1, len = 0;
      for (i = 0; i < words.length; i++) {
        var k = rest.indexOf(words[i]);
        if (k >= 0 && (best < 0 || k < best)) { best = k; len = words[i].length; }
      }
      if (best < 0) { pieces.push([rest, false]); break; }
      if (best > 0) pieces.push([rest.slice(0, best), false]);
      pieces.push([rest.slice(best, best + len), true]);
      rest = rest.slice(best + len);
    }
    return pieces;
  }

  var root = new URL(".", document.currentScript ? new URL("../../", document.currentScript.src) : location.href);
  var form = document.getElementById("daicho-search-form");
  var input = document.getElementById("daicho-q");
  var status = document.getElementById("daicho-search-status");
  var list = document.getElementById("daicho-results");
  var meta = null, files = {}, seq = 0, timer = null;

  function fetchJSON(path) {
    return fetch(new URL("search-index/" + path, root).href).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  // The index's meta.json (once): how many shards, and which terms have a file of their own.
  function load() {
    if (!meta) meta = fetchJSON("meta.json");
    return meta;
  }

  function termFile(m, term) {
    return "t/" + (Object.prototype.hasOwnProperty.call(m.own, term) ? "x" + m.own[term] : shardOf(term, m.shards)) + ".json";
  }

  // {page number: weight} of one term, from its (cached) index file.
  function postings(m, term) {
    var name = termFile(m, term);
    if (!files[name]) files[name] = fetchJSON(name);
    return files[name].then(function (file) {
      var coded = Object.prototype.hasOwnProperty.call(file, term) ? file[term] : [], out = new Map(), page = 0;
      for (var i = 0; i < coded.length; i += 2) { page += coded[i]; out.set(page, coded[i + 1]); }
      return out;
    });
  }

  // Pages with every term, best first: each term's weight (occurrences, title counted five
  // times) times how rare the term is.
  function search(m, terms) {
    return Promise.all(terms.map(function (t) { return postings(m, t); })).then(function (lists) {
      lists.sort(function (a, b) { return a.size - b.size; });
      var scores = [];
      lists[0].forEach(function (_, page) {
        var score = 0;
        for (var i = 0; i < lists.length; i++) {
          var w = lists[i].get(page);
          if (w === undefined) return;
          score += w * Math.log(1 + m.pages / lists[i].size);
        }
        scores.push([page, score]);
      });
      return scores.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    });
  }

  // Results shown[from, …): the list is cleared when the first ones arrive.
  function show(query, items, from, total) {
    if (!from) list.textContent = "";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "daicho-result-title";
      a.href = new URL(d.u, root).href;
      a.textContent = d.t || d.u;
      li.appendChild(a);
      var section = d.u.split("/")[0];
      if (KIND[section]) {
        var kind = document.createElement("span");
        kind.className = "daicho-result-kind";
        kind.textContent = KIND[section];
        li.appendChild(kind);
      }
      var p = document.createElement("p");
      excerpt(d.x || "", query).forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          p.appendChild(mark);
        } else {
          p.appendChild(document.createTextNode(piece[0]));
        }
      });
      li.appendChild(p);
      list.appendChild(li);
    });
    var shown = from + items.length;
    status.textContent = total ? "「" + query + "」: " + total + " 件" + (total > shown ? "（上位 " + shown + " 件を表示）" : "")
                               : "「" + query + "」に一致するページはありません。";
  }

  function run(query) {
    var mine = ++seq, terms = queryTerms(query);
    if (!terms.length) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "検索しています…";
    load().then(function (m) {
      return search(m, terms);
    }).then(function (found) {
      // The first results are shown as soon as their pages have loaded, then the rest.
      function batch(from, to) {
        if (mine !== seq || (from && from >= Math.min(found.length, MAX_RESULTS))) return null;
        return Promise.all(found.slice(from, to).map(function (hit) { return fetchJSON("p/" + hit[0] + ".json"); }))
          .then(function (items) { if (mine === seq) show(query, items, from, found.length); });
      }
      return batch(0, FIRST).then(function () { return batch(FIRST, MAX_RESULTS); });
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

  if (!form || !input) return;
  // Fetch the index's meta.json while the reader is still typing: the first query then waits
  // only for its own index files. A failure here is reported by the search that needs it.
  load().catch(function () {});
  form.addEventListener("submit", function (e) { e.preventDefault(); schedule(); });
  input.addEventListener("input", function (e) { if (!e.isComposing) schedule(); });
  input.addEventListener("compositionend", schedule);
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial.trim()); }
  window.daichoQueryTerms = queryTerms;  // exposed for the tests that compare it with Python's
})();
