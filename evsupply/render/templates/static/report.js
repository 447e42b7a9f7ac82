(function () {
  "use strict";
  function draw() {
    var holders = document.querySelectorAll("script.evsupply-plotly");
    holders.forEach(function (holder) {
      var div = holder.previousElementSibling;
      try {
        var fig = JSON.parse(holder.textContent);
        var config = Object.assign({responsive: true, displaylogo: false}, fig.config || {});
        delete config.topojsonURL;
        Plotly.newPlot(div, fig.data || [], fig.layout || {}, config).then(function () {
          div.setAttribute("data-drawn", "true");
        }, function (err) {
          div.setAttribute("data-drawn", "error");
          console.error("evsupply: figure not drawn:", err);
        });
      } catch (err) {
        div.setAttribute("data-drawn", "error");
        console.error("evsupply: figure not drawn:", err);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
/* Sortable, filterable report tables (progressive enhancement: without script they are plain tables). */
(function () {
  "use strict";
  function cellKey(td) {
    var key = td.getAttribute("data-sort");
    if (key !== null) {
      var n = parseFloat(key);
      return isNaN(n) ? key : n;
    }
    return td.textContent.trim().toLowerCase();
  }
  function sortBy(table, th, index) {
    var asc = th.getAttribute("data-sort-dir") !== "asc";
    table.querySelectorAll("th[data-sort-dir]").forEach(function (h) { h.setAttribute("data-sort-dir", "none"); });
    th.setAttribute("data-sort-dir", asc ? "asc" : "desc");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[index]), y = cellKey(b.cells[index]);
      if (x === y) { return 0; }
      if (typeof x === "number" && typeof y === "number") { return asc ? x - y : y - x; }
      return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function enhance(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.setAttribute("data-sort-dir", "none");
      th.setAttribute("title", "Sort by this column");
      th.addEventListener("click", function () { sortBy(table, th, index); });
    });
    if (table.hasAttribute("data-filter")) {
      var input = document.createElement("input");
      input.type = "search";
      input.className = "evsupply-filter";
      input.placeholder = "Filter rows";
      input.setAttribute("aria-label", "Filter the rows of this table");
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.style.display = !q || row.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
        });
      });
      var scroll = table.parentNode;
      scroll.parentNode.insertBefore(input, scroll);
    }
  }
  function init() { document.querySelectorAll("table.evsupply-table[data-sortable]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
