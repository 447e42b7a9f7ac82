// Pickers that compose, offline: each .evsupply-picker block holds pre-rendered variants ([data-variant]); its
// <select data-key> pickers choose one. The choice lives in the URL hash (#date=2026-12-08&market=CAN), shared by
// every block of the page, so a view can be linked, and works from file:// (no server, no request).
(function () {
  if (window.evsupplyPickers) { window.evsupplyPickers.init(); return; }
  function parse() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) state[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    return state;
  }
  function write(state) {
    var hash = "#" + Object.keys(state).sort().map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(state[k]);
    }).join("&");
    try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
  }
  function apply(block, state) {
    var chosen = {};
    block.dataset.keys.split(",").forEach(function (key) {
      var select = block.querySelector('select[data-key="' + key + '"]');
      var value = state[key];
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (known) select.value = value;
      chosen[key] = select.value;
    });
    var id = block.dataset.keys.split(",").map(function (k) { return k + "=" + chosen[k]; }).join("&");
    block.querySelectorAll("[data-variant]").forEach(function (v) { v.hidden = v.dataset.variant !== id; });
    return chosen;
  }
  function applyAll() { document.querySelectorAll(".evsupply-picker").forEach(function (b) { apply(b, parse()); }); }
  function init() {
    document.querySelectorAll(".evsupply-picker").forEach(function (block) {
      if (block.dataset.ready) return;
      block.dataset.ready = "1";
      apply(block, parse());
      block.querySelectorAll("select[data-key]").forEach(function (select) {
        select.addEventListener("change", function () {
          var state = parse();
          state[select.dataset.key] = select.value;
          Object.assign(state, apply(block, state));
          write(state);
          applyAll();
        });
      });
    });
  }
  window.addEventListener("hashchange", applyAll);
  window.evsupplyPickers = { init: init };
  init();
})();
