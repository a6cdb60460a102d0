// Citations and chart links point at ids inside closed <details> panels: open the panel first so the
// browser can scroll to it, then flash the target so the eye finds it. Works on file:// URLs.
(function () {
  "use strict";
  function reveal(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { d.open = true; }
      if (d.classList && d.classList.contains("collapsed") && el.closest("tr.extra")) { d.classList.remove("collapsed"); }
    }
    return el;
  }
  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when the same target is chosen twice
    el.classList.add("flash");
  }
  function idFromHash(hash) {
    try { return decodeURIComponent(hash.replace(/^#/, "")); } catch (e) { return hash.replace(/^#/, ""); }
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    if (!a) { return; }
    var id = idFromHash(a.getAttribute("href"));
    var el = reveal(id);
    if (!el) { return; }
    ev.preventDefault();
    if (location.hash !== "#" + id) {
      try { history.pushState(null, "", "#" + id); } catch (e) { /* some file:// setups refuse */ }
    }
    el.scrollIntoView({ block: "start" });
    if (el.tagName === "DETAILS") {
      var s = el.querySelector("summary");
      if (s) { s.focus({ preventScroll: true }); }
    } else if (el.tagName === "SECTION" || el.tagName === "LI" || el.tagName === "SPAN") {
      if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
      el.focus({ preventScroll: true });
    }
    flash(el);
  });
  function fromLocation() {
    if (!location.hash) { return; }
    var el = reveal(idFromHash(location.hash));
    if (el) { el.scrollIntoView({ block: "start" }); flash(el); }
  }
  window.addEventListener("hashchange", fromLocation);
  window.addEventListener("popstate", fromLocation);
  fromLocation();
  // Long tables start collapsed only when the script runs, so without it every row stays visible.
  var expanders = document.querySelectorAll("[data-expands]");
  for (var k = 0; k < expanders.length; k++) {
    (function (btn) {
      var table = document.getElementById(btn.getAttribute("data-expands"));
      if (!table) { return; }
      var label = btn.textContent;
      table.classList.add("collapsed");
      btn.setAttribute("aria-expanded", "false");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var collapsed = table.classList.toggle("collapsed");
        btn.setAttribute("aria-expanded", collapsed ? "false" : "true");
        btn.textContent = collapsed ? label : "Show fewer facts";
      });
    })(expanders[k]);
  }
  var toggle = document.querySelector("[data-toggle-all]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var panels = document.querySelectorAll("details.article");
      var open = toggle.getAttribute("data-open") !== "1";
      for (var i = 0; i < panels.length; i++) { panels[i].open = open; }
      toggle.setAttribute("data-open", open ? "1" : "0");
      toggle.textContent = open ? "Close all" : "Open all";
    });
  }
})();
