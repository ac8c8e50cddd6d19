/* 长辈模式 (large print): remembered across pages in localStorage and applied before the page is
   drawn (this file is loaded in <head> without defer). Without JavaScript the 长辈模式 link goes
   to #large, which large.css styles through :target on that page. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongshi-large-print";
  root.classList.add("js"); /* from here on the choice, not #large, decides */

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function remember(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, "1"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage refused: the mode holds on this page only */ }
  }

  if (window.location.hash === "#large") { remember(true); }
  if (remembered()) { root.classList.add("large"); }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-mode]") : null;
    if (!link) { return; }
    event.preventDefault();
    var on = link.getAttribute("data-mode") === "large";
    remember(on);
    root.classList.toggle("large", on);
    if (!on && window.location.hash === "#large") {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    var other = document.querySelector(on ? "a[data-mode='standard']" : "a[data-mode='large']");
    if (other) { other.focus(); }
  });
})();
