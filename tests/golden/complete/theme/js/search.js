/* The search page: starts Pagefind's UI (/pagefind/pagefind-ui.js, loaded before this file)
   and runs the search typed in the header box (/search/?q=…). Pagefind picks its Chinese
   strings from <html lang="zh-CN">. Without JavaScript the page keeps its links to the lists.

   The index holds Chinese one character per word (gongshi/search.py says why), so a query is
   split the same way before Pagefind sees it, and the zero-width spaces that separate the
   characters in the index are taken out of the excerpts. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") return;
  var han = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}"; // as search.py
  var betweenHan = new RegExp("([" + han + "])(?=[" + han + "])", "gu");
  var order = ["类型", "所属", "日期"]; // what each result shows under its title, in this order

  function splitHan(term) {
    return term.replace(betweenHan, "$1 ");
  }

  function shown(result) {
    var meta = { title: result.meta.title };
    order.forEach(function (key) {
      if (result.meta[key]) meta[key] = result.meta[key];
    });
    result.meta = meta;
    result.excerpt = result.excerpt.replace(/\u200b/g, "");
    return result;
  }

  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: "/pagefind/",
    showImages: false,
    showSubResults: false,
    excerptLength: 40,
    showEmptyFilters: false,
    processTerm: splitHan,
    processResult: shown,
  });
  document.getElementById("search-nojs").hidden = true;
  var query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) ui.triggerSearch(query.trim());
})();
