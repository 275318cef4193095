// daicho: filter and sort for the register tables. Plain JavaScript, no network, works from file://.
// Without JavaScript the full table stays visible and the filter form stays hidden.
(function () {
  "use strict";

  function cellText(row, col) {
    var cell = row.cells[col];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // The value a filter compares: the cell's data-filter ("|" between several values) or its text.
  function filterValues(row, col) {
    var cell = row.cells[col];
    if (!cell) return [""];
    if (cell.hasAttribute("data-filter")) return cell.getAttribute("data-filter").split("|");
    var text = cellText(row, col);
    // A cell may hold several values joined by "・" (e.g. two 発生部署).
    return [text].concat(text.split("・"));
  }

  function sortKey(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cellText(row, col);
  }

  function compare(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== "" && b !== "" && !isNaN(na) && !isNaN(nb)) return na - nb;
    return a.localeCompare(b, "ja");
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    Array.prototype.forEach.call(head.cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(sortKey(r1, col), sortKey(r2, col));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function makeFilter(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || !table.tBodies[0]) return;
    var text = form.querySelector("[data-filter-text]");
    var selects = form.querySelectorAll("[data-filter-col]");
    var count = form.querySelector("[data-filter-count]");
    function apply() {
      var needle = text ? text.value.trim().toLowerCase() : "";
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i], ok = true;
        if (needle && row.textContent.toLowerCase().indexOf(needle) < 0) ok = false;
        for (var j = 0; ok && j < selects.length; j++) {
          var want = selects[j].value;
          var have = filterValues(row, Number(selects[j].getAttribute("data-filter-col")));
          if (want && have.indexOf(want) < 0) ok = false;
        }
        row.hidden = !ok;
        if (ok) shown++;
      }
      if (count) count.textContent = rows.length + " 件中 " + shown + " 件を表示";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("form.daicho-filter"), makeFilter);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
