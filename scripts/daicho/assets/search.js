// daicho: the search page. Loaded only by search.html; nothing search-related loads elsewhere.
//
// Japanese queries are turned into the same character-bigram codes that daicho.search indexed
// (see scripts/daicho/search.py: keep the two in step), so a query finds every page that
// contains all of its bigrams, whatever a dictionary would have made of the words.
// Results and excerpts are built with DOM text nodes only: page text is never parsed as HTML.
(function () {
  "use strict";

  var PREFIX = "zq";
  var SENTINEL = "zqzqzq";
  var LETTERS = "abcdefghijklmnop";
  var JAPANESE = /[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var MAX_RESULTS = 20;
  var KIND = { jimu: "個人情報取扱事務", files: "個人情報ファイル", contracts: "委託契約",
               incidents: "漏えい等事案", departments: "所管課", inspections: "検査状況", report: "運用状況" };

  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }

  function code(ch) {
    var n = ch.codePointAt(0), out = "";
    for (var shift = 16; shift >= 0; shift -= 4) out += LETTERS.charAt((n >> shift) & 15);
    return out;
  }

  // Twin of daicho.search.query_terms.
  function queryTerms(query) {
    var out = [];
    normalize(query).split(/\s+/).forEach(function (word) {
      if (!word) return;
      var pos = 0, m;
      JAPANESE.lastIndex = 0;
      while ((m = JAPANESE.exec(word)) !== null) {
        if (m.index > pos) out.push(word.slice(pos, m.index));
        var chars = Array.from(m[0]);
        if (chars.length === 1) out.push(PREFIX + code(chars[0]));
        for (var i = 0; i + 1 < chars.length; i++) out.push(PREFIX + code(chars[i]) + code(chars[i + 1]));
        pos = m.index + m[0].length;
      }
      if (pos < word.length) out.push(word.slice(pos));
    });
    return out.filter(Boolean).join(" ");
  }

  // The parts of the query to highlight: its words, and for Japanese its runs.
  function needles(query) {
    var out = [];
    normalize(query).split(/\s+/).forEach(function (w) { if (w) out.push(w); });
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  function visibleText(content) {
    var cut = content.indexOf(SENTINEL);
    return normalize(cut >= 0 ? content.slice(0, cut) : content).replace(/\s+/g, " ").trim();
  }

  // An excerpt around the first match, as a list of [text, highlighted] pieces.
  function excerpt(content, query) {
    var text = visibleText(content), words = needles(query), at = -1, i;
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
  var pagefind = null, seq = 0, timer = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.init().then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function show(query, items, total) {
    list.textContent = "";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "daicho-result-title";
      a.href = new URL(d.url.replace(/^\//, ""), root).href;
      a.textContent = (d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      var section = d.url.replace(/^\//, "").split("/")[0];
      if (KIND[section]) {
        var kind = document.createElement("span");
        kind.className = "daicho-result-kind";
        kind.textContent = KIND[section];
        li.appendChild(kind);
      }
      var p = document.createElement("p");
      excerpt(d.content || "", query).forEach(function (piece) {
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
    status.textContent = total ? "「" + query + "」: " + total + " 件" + (total > items.length ? "（上位 " + items.length + " 件を表示）" : "")
                               : "「" + query + "」に一致するページはありません。";
  }

  function run(query) {
    var mine = ++seq, terms = queryTerms(query);
    if (!terms) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "検索しています…";
    load().then(function (pf) {
      return pf.search(terms);
    }).then(function (search) {
      if (mine !== seq) return null;
      return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
        .then(function (items) { if (mine === seq) show(query, items, search.results.length); });
    }).catch(function () {
      status.textContent = "検索を読み込めませんでした（サイトを http で開いてください。ファイルを直接開いた場合は検索できません）。";
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url.href);
      run(q);
    }, 120);
  }

  if (!form || !input) return;
  // Fetch Pagefind and its index entry while the reader is still typing: the first query then
  // waits only for its own index chunks. A failure here is reported by the search that needs it.
  load().catch(function () {});
  form.addEventListener("submit", function (e) { e.preventDefault(); schedule(); });
  input.addEventListener("input", schedule);
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial.trim()); }
  window.daichoQueryTerms = queryTerms;  // exposed for the tests that compare it with Python's
})();
