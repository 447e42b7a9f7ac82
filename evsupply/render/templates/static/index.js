/* The index page's previews: each report's first chart, small and static (drawn offline from the site's assets). */
(function () {
  "use strict";
  function draw() {
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
