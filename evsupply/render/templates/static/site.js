/* Every report page: under its banner, the case it belongs to and the site's other pages about that case (from
   assets/site-data.js, which the render rewrites after every render, so a page rendered earlier still links to
   pages rendered later). Text is placed with textContent. Works from file://; without site-data.js it does nothing. */
(function () {
  "use strict";
  function start() {
    var site = window.evsupplySite;
    var banner = document.querySelector(".evsupply-banner");
    if (!site || !site.pages || !banner) { return; }
    var here = decodeURIComponent(window.location.pathname.split("/").pop() || "");
    var page = site.pages[here];
    if (!page) { return; }
    var nav = document.createElement("nav");
    nav.className = "evsupply-related";
    nav.setAttribute("aria-label", "Related pages");
    (page.cases || []).forEach(function (id) {
      var c = (site.cases || {})[id];
      if (!c) { return; }
      var line = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = page.case_page ? "This case: " : "Case: ";
      line.appendChild(label);
      if (c.href && c.href !== here) {
        var back = document.createElement("a");
        back.href = c.href;
        back.className = "evsupply-case-link";
        back.textContent = c.name;
        line.appendChild(back);
      } else {
        line.appendChild(document.createTextNode(c.name));
      }
      var others = Object.keys(site.pages).filter(function (p) {
        return p !== here && p !== c.href && (site.pages[p].cases || []).indexOf(id) >= 0 && !site.pages[p].case_page;
      });
      if (others.length) {
        line.appendChild(document.createTextNode(" · its pages: "));
        others.forEach(function (p, i) {
          if (i) { line.appendChild(document.createTextNode(", ")); }
          var a = document.createElement("a");
          a.href = p;
          a.className = "evsupply-related-link";
          a.textContent = site.pages[p].title;
          line.appendChild(a);
        });
      }
      nav.appendChild(line);
    });
    var all = document.createElement("p");
    var index = document.createElement("a");
    index.href = "index.html#cases";
    index.textContent = "every case";
    var sources = document.createElement("a");
    sources.href = "sources.html";
    sources.textContent = "every source";
    all.appendChild(index);
    all.appendChild(document.createTextNode(" · "));
    all.appendChild(sources);
    nav.appendChild(all);
    banner.parentNode.insertBefore(nav, banner.nextSibling);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
