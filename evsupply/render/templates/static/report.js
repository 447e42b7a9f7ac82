/* Draws a report's plotly figures from the JSON beside each one: those on screen first, then the others one after
   another in the background (or at once when scrolled to), so printing or searching the page finds them all. */
(function () {
  "use strict";
  var template = window.evsupplyPlotlyTemplate; // plotly's default template, shipped once instead of per figure
  var queue = [];
  var scheduled = false;

  // A chart saved as an image carries its title, its sources, the report, day, data version and licence (the
  // banner's #evsupply-credit), drawn under it; plotly's own camera button would save the bare chart.
  function sourcesOf(div) {
    // The note under the chart (in its cell or the next ones, before the next chart) names its sources.
    var notes = document.querySelectorAll(".evsupply-chart-note, .evsupply-plotly-figure");
    var after = false;
    for (var k = 0; k < notes.length; k++) {
      if (notes[k] === div) { after = true; continue; }
      if (!after) { continue; }
      if (notes[k].classList.contains("evsupply-plotly-figure")) { break; }
      var cited = notes[k].querySelector(".evsupply-sources");
      return cited ? cited.textContent.replace(/^\[|\]$/g, "") : "";
    }
    return "";
  }
  function clean(text) { return String(text).replace(/[<>&]/g, ""); }
  function saveImage(gd) {
    var credit = document.getElementById("evsupply-credit");
    var full = gd._fullLayout || {};
    var title = (full.title && full.title.text) || (credit && credit.getAttribute("data-title")) || document.title;
    var sources = sourcesOf(gd);
    var lines = [sources ? "Sources: " + sources : "", credit ? credit.getAttribute("data-credit") : ""]
      .filter(Boolean).map(clean);
    var margin = Object.assign({}, full.margin || {});
    var extra = 18 * lines.length + 8;
    // Title on top, then the source and credit lines, then the chart: nothing the chart draws can cover them.
    var layout = Object.assign({}, gd.layout, {
      title: {text: clean(title), x: 0.02, xanchor: "left", y: 1, yanchor: "top", yref: "container", pad: {t: 8}},
      margin: {l: margin.l, r: margin.r, b: margin.b, t: Math.max(margin.t || 0, 44) + extra},
      annotations: (gd.layout.annotations || []).concat(lines.map(function (text, i) {
        return {text: text, xref: "paper", yref: "paper", x: 0, y: 1, xanchor: "left", yanchor: "bottom",
          yshift: 6 + 18 * (lines.length - 1 - i), showarrow: false, font: {size: 11, color: "#444"}};
      }))
    });
    var width = full.width || 900, height = (full.height || 500) + extra;
    var name = credit ? credit.getAttribute("data-name") : "chart";
    var version = credit ? credit.getAttribute("data-version") : "";
    var charts = Array.prototype.indexOf.call(document.querySelectorAll(".evsupply-plotly-figure"), gd) + 1;
    Plotly.toImage({data: gd.data, layout: layout}, {format: "png", width: width, height: height}).then(function (url) {
      var a = document.createElement("a");
      a.href = url;
      a.download = name + "-chart-" + charts + (version ? "-data-" + version : "") + ".png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  }
  var imageButton = {
    name: "evsupplyImage",
    title: "Download as PNG, with its title, sources and licence",
    icon: window.Plotly && Plotly.Icons ? Plotly.Icons.camera : undefined,
    click: saveImage
  };

  function draw(holder) {
    if (holder.evsupplyDrawing) { return; }
    holder.evsupplyDrawing = true;
    var div = holder.previousElementSibling;
    try {
      var fig = JSON.parse(holder.textContent);
      var layout = fig.layout || {};
      if (!layout.template && template) { layout.template = template; }
      var config = Object.assign({responsive: true, displaylogo: false}, fig.config || {});
      if (imageButton.icon) {
        config.modeBarButtonsToRemove = (config.modeBarButtonsToRemove || []).concat(["toImage"]);
        config.modeBarButtonsToAdd = (config.modeBarButtonsToAdd || []).concat([imageButton]);
      }
      Plotly.newPlot(div, fig.data || [], layout, config).then(function () {
        div.setAttribute("data-drawn", "true");
      }, function (err) {
        div.setAttribute("data-drawn", "error");
        console.error("evsupply: figure not drawn:", err);
      });
    } catch (err) {
      div.setAttribute("data-drawn", "error");
      console.error("evsupply: figure not drawn:", err);
    }
  }

  function drawNextInBackground() {
    // One figure per task, so the page stays responsive (and a figure scrolled to is drawn next) in between.
    if (scheduled) { return; }
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      while (queue.length && queue[0].evsupplyDrawing) { queue.shift(); }
      if (queue.length) {
        draw(queue.shift());
        drawNextInBackground();
      }
    }, 0);
  }

  function start() {
    queue = Array.prototype.slice.call(document.querySelectorAll("script.evsupply-plotly"));
    if (!("IntersectionObserver" in window)) {
      queue.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target.nextElementSibling);
        }
      });
    }, {rootMargin: "200px 0px"});
    queue.forEach(function (holder) { observer.observe(holder.previousElementSibling); });
    // Figures off screen: drawn one per task after the observer's first callback has drawn those on screen.
    requestAnimationFrame(function () { setTimeout(drawNextInBackground, 0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
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
