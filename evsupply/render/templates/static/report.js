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
