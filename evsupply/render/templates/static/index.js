/* The index page's previews: each report's first chart, small and static (drawn offline from the site's assets). */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("script.evsupply-preview").forEach(function (holder) {
      var div = holder.previousElementSibling;
      try {
        var fig = JSON.parse(holder.textContent);
        var layout = Object.assign({}, fig.layout || {}, {
          title: {text: ""}, height: 150, showlegend: false, margin: {l: 8, r: 8, t: 8, b: 8}, annotations: []
        });
        ["xaxis", "yaxis"].forEach(function (axis) {
          layout[axis] = Object.assign({}, layout[axis] || {}, {visible: false});
        });
        Plotly.newPlot(div, fig.data || [], layout, {staticPlot: true, displayModeBar: false}).then(function () {
          div.setAttribute("data-drawn", "true");
        });
      } catch (err) {
        div.setAttribute("data-drawn", "error");
        console.error("evsupply: preview not drawn:", err);
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();

/* The explorer: the atlas map (a click opens the case), the case table (sort, filter), the site search and the
   sources filter. Every text from the data is placed with textContent, never as HTML. Works from file://. */
(function () {
  "use strict";
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function json(id) {
    var holder = document.getElementById(id);
    if (!holder) { return null; }
    try { return JSON.parse(holder.textContent); } catch (err) { console.error("evsupply:", id, err); return null; }
  }
  function caseLinks() {
    var links = {};
    document.querySelectorAll("#cases-table tbody tr").forEach(function (tr) {
      var a = tr.querySelector("a");
      links[tr.getAttribute("data-case")] = a ? a.getAttribute("href") : "#" + tr.id;
    });
    return links;
  }
  function drawMap() {
    var div = document.getElementById("atlas-map");
    var fig = json("evsupply-atlas");
    if (!div || !fig || !window.Plotly) { return; }
    var layout = Object.assign({}, fig.layout || {});
    if (window.evsupplyPlotlyTemplate && !layout.template) { layout.template = window.evsupplyPlotlyTemplate; }
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
      layout.height = 620;
      layout.showlegend = false;
    }
    Plotly.newPlot(div, fig.data || [], layout, {responsive: true, displaylogo: false}).then(function () {
      div.setAttribute("data-drawn", "true");
      var links = caseLinks();
      div.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var id = point && point.customdata;
        if (id && links[id]) { window.location.href = links[id]; }
      });
    }, function (err) {
      div.setAttribute("data-drawn", "error");
      console.error("evsupply: map not drawn:", err);
    });
  }
  function cellValue(row, col) {
    var cell = row.children[col];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }
  function setUpTable() {
    var table = document.getElementById("cases-table");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filter = document.getElementById("cases-filter");
    var status = document.getElementById("cases-status");
    var shown = document.getElementById("cases-shown");
    function apply() {
      var words = fold(filter ? filter.value : "").split(/\s+/).filter(Boolean);
      var wanted = status ? status.value : "";
      var n = 0;
      rows.forEach(function (row) {
        var text = fold(row.textContent);
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
          (!wanted || row.getAttribute("data-status") === wanted);
        row.hidden = !ok;
        if (ok) { n += 1; }
      });
      if (shown) { shown.textContent = n + " of " + rows.length + " cases"; }
    }
    if (filter) { filter.addEventListener("input", apply); }
    if (status) { status.addEventListener("change", apply); }
    table.querySelectorAll("thead button").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        var up = button.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead button").forEach(function (b) { b.removeAttribute("aria-sort"); });
        button.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = cellValue(a, col), y = cellValue(b, col);
          var nx = Number(x), ny = Number(y);
          var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return up ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function setUpSearch() {
    var input = document.getElementById("site-search");
    var list = document.getElementById("site-search-results");
    var items = json("evsupply-search");
    if (!input || !list || !items) { return; }
    function run() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (!words.length) { return; }
      // Every word must occur; items where the words begin a word come first ("ustr" finds USTR before Austria).
      var found = [];
      items.forEach(function (item, i) {
        if (!words.every(function (w) { return item.text.indexOf(w) >= 0; })) { return; }
        var padded = " " + item.text.replace(/[^a-z0-9]+/g, " ");
        var score = words.filter(function (w) { return padded.indexOf(" " + w) >= 0; }).length;
        found.push({item: item, score: score, i: i});
      });
      found.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
      found = found.map(function (f) { return f.item; });
      found.slice(0, 25).forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("data-kind", item.kind);
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind;
        var a = document.createElement("a");
        a.href = item.href;
        a.textContent = item.label;
        li.appendChild(kind);
        li.appendChild(a);
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "detail";
          detail.textContent = " · " + item.detail;
          li.appendChild(detail);
        }
        list.appendChild(li);
      });
      var more = document.createElement("li");
      more.className = "count";
      more.textContent = found.length ? (found.length > 25 ? "25 of " + found.length + " shown" : found.length + " found")
        : "nothing found";
      list.appendChild(more);
    }
    input.addEventListener("input", run);
    if (input.value) { run(); }
  }
  function setUpSources() {
    var input = document.getElementById("sources-filter");
    var list = document.getElementById("sources-list");
    var shown = document.getElementById("sources-shown");
    if (!input || !list) { return; }
    var items = Array.prototype.slice.call(list.children);
    var texts = items.map(function (li) { return fold(li.getAttribute("data-text") || li.textContent); });
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var n = 0;
      items.forEach(function (li, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        li.hidden = !ok;
        if (ok) { n += 1; }
      });
      if (shown) { shown.textContent = n + " of " + items.length + " sources"; }
    });
  }
  function start() { drawMap(); setUpTable(); setUpSearch(); setUpSources(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
