/* The search page: runs the query typed in the header's search box (/search/?q=…) with
   Pagefind's JavaScript API (/pagefind/pagefind.js) and shows the results in #search.

   Exact first. The index holds Chinese one character per word (gongshi/outputs/search/
   indexing.py says why), so a word is searched as a quoted phrase of its characters ("燃 气"):
   Pagefind then finds only the pages where they stand together, as written. Every
   space-separated word of the query must be on the page; a word's synonyms
   (gongshi/outputs/search/synonyms.py, /pagefind/search-synonyms.json) count as the word.
   Pagefind gives every phrase match the same score, so they are ranked here: first the items
   of a place the query names (by its name or short name: 桃北社区, 桃北), then the pages with
   more of the words as typed (not only a synonym), then by Pagefind's own score for the
   words' characters (BM25, in which a title counts most).
   No false hits. When no page holds the query as written the page says so (没有找到“…”) and
   shows the pages that hold only some of its characters apart, under their own heading.
   Without JavaScript the page keeps its paragraph and links to the lists. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var han = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}"; // as indexing.py
  var betweenHan = new RegExp("([" + han + "])(?=[" + han + "])", "gu");
  var PAGE = 10; // results added by 显示更多结果
  var FIRST = 5; // results shown first: a phone's first screen holds two or three, and each
  // one shown costs its fragment (about 0.8 KB), fetched before any is shown
  var MAX_WORDS = 6;
  var PUNCTUATED = /[-_./:+]/; // in ids, ISO dates, 5+N
  var VERIFY = 20; // candidates checked for such a word
  var SUFFIX = /(社区|街道|小区|镇|乡|村)$/; // a place's short name: 桃北社区 → 桃北
  var bundle = root.dataset.bundle;
  var box = document.querySelector("form[role=search] input[name=q]");
  var status = document.getElementById("search-status");
  var also = root.querySelector(".search-also");
  var exactList = root.querySelector('ol[data-kind="exact"]');
  var similar = root.querySelector(".search-similar");
  var similarList = similar.querySelector("ol");
  var similarNote = similar.querySelector(".search-similar-note");
  var more = root.querySelector(".search-more");
  var lead = document.querySelector(".search-lead");
  var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-filter]"));
  var places = (root.dataset.places || "").split("、").filter(Boolean).map(function (name) {
    var short = name.replace(SUFFIX, "");
    return { name: name, short: short.length >= 2 && short !== name ? short : "" };
  });
  var pagefind, synonyms = [], shown = [], run = 0;


  function phrase(word) {
    return '"' + word.replace(betweenHan, "$1 ") + '"';
  }

  function alternatives(word) {
    var group = synonyms.filter(function (g) { return g.indexOf(word) >= 0; })[0];
    return group ? [word].concat(group.filter(function (w) { return w !== word; })) : [word];
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.dataset.filter] = s.value; });
    return filters;
  }

  function placesNamed(words) {
    return places.filter(function (p) {
      return words.some(function (w) {
        return w.indexOf(p.name) >= 0 || (p.short && w.indexOf(p.short) >= 0);
      });
    });
  }

  async function ids(term, filters) {
    var found = await pagefind.search(term, { filters: filters });
    return found ? found.results : [];
  }

  /* Pagefind keeps a word such as 2024-04-16 or an item's id both whole and in parts, and
     its phrase search finds neither: such a word is looked up loosely and the pages that
     really hold it, as written, are kept (a few pages, their text is fetched to check) */
  async function verified(word, filters) {
    var candidates = (await ids(word, filters)).slice(0, VERIFY);
    var texts = await Promise.all(candidates.map(function (r) { return r.data(); }));
    var wanted = word.toLowerCase();
    return candidates.filter(function (r, i) {
      return pageText(texts[i].content).toLowerCase().indexOf(wanted) >= 0;
    });
  }

  /* Pages holding every word (or one of its synonyms) as written, ranked; or [].
     Ranked by: an item of a place the query names; how many words are on the page as typed
     (not only as a synonym); Pagefind's score for the other words' characters. */
  async function exactResults(words, filters) {
    var named = placesNamed(words);
    var placeWord = function (w) {
      return named.some(function (p) { return w.indexOf(p.name) >= 0 || (p.short && w.indexOf(p.short) >= 0); });
    };
    var scored = words.filter(function (w) { return !placeWord(w); });
    if (!scored.length) scored = words;
    var byId = null;
    for (var i = 0; i < words.length; i++) {
      var here = {};
      var alts = alternatives(words[i]);
      for (var j = 0; j < alts.length; j++) {
        var strict = await ids(phrase(alts[j]), filters);
        if (!strict.length && PUNCTUATED.test(alts[j])) strict = await verified(alts[j], filters);
        if (!strict.length) continue;
        var loose = await ids(alts[j].replace(betweenHan, "$1 "), filters);
        var looseScore = {};
        loose.forEach(function (r) { looseScore[r.id] = r.score; });
        var tokens = alts[j].replace(betweenHan, "$1 ").split(/\s+/).length;
        strict.forEach(function (r) {
          var s = (looseScore[r.id] || 0) / tokens; // words of any length compare
          var seen = here[r.id] || (here[r.id] = { result: r, score: 0, literal: 0 });
          if (j === 0) { // the word as typed: its score alone
            seen.literal = 1;
            seen.score = s;
          } else if (!seen.literal) {
            seen.score = Math.max(seen.score, s);
          }
        });
      }
      var counted = scored.indexOf(words[i]) >= 0;
      if (byId === null) {
        byId = {};
        for (var first in here) byId[first] = { result: here[first].result, score: 0, literal: 0 };
      }
      for (var id in byId) {
        if (!here[id]) { delete byId[id]; continue; }
        byId[id].literal += here[id].literal;
        if (counted) byId[id].score += here[id].score;
      }
    }
    var boosted = {};
    for (var k = 0; k < named.length; k++) {
      (await ids(null, Object.assign({}, filters, { 所属区域: named[k].name }))).forEach(
        function (r) { boosted[r.id] = true; });
    }
    return Object.keys(byId || {}).map(function (id) {
      var r = byId[id];
      return { result: r.result, place: boosted[id] ? 1 : 0, literal: r.literal, score: r.score };
    }).sort(function (a, b) {
      return b.place - a.place || b.literal - a.literal || b.score - a.score ||
        (a.result.id < b.result.id ? -1 : 1);
    }).map(function (r) {
      r.result.literal = r.literal;
      return r.result;
    });
  }

  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  /* A page's text as the page has it: Pagefind's copy has a zero-width space between Chinese
     characters, and its bodies last, a U+2063 where each was and before each (F0 · F1 … · Fk ·
     B1 … · Bk; outputs/search/indexing.py: an edit of a body moves no word of the page around
     it in the index); each body is put back */
  function pageText(content) {
    var text = content.replace(/\u200b/g, "");
    var parts = text.split("\u2063");
    if (parts.length % 2 === 1) {
      var k = (parts.length - 1) / 2;
      text = parts[0];
      for (var i = 1; i <= k; i++) text += " " + parts[k + i] + " " + parts[i];
    }
    return text.replace(/\s+/g, " ").trim();
  }

  /* About 60 characters of the page around the first word found, every word marked */
  function excerpt(content, title, words) {
    var text = pageText(content);
    var lower = text.toLowerCase();
    var after = title && text.indexOf(title) === 0 ? title.length : 0; // the title is shown above
    var at = -1;
    [after, 0].forEach(function (from) {
      if (at >= 0) return;
      words.forEach(function (w) {
        var i = lower.indexOf(w.toLowerCase(), from);
        if (i >= 0 && (at < 0 || i < at)) at = i;
      });
    });
    var start = Math.max(at >= after ? after : 0, at - 20); // not back into the title
    var piece = text.slice(start, start + 60);
    var skip = piece.match(/^[\s.。，,、]*/)[0].length; // no stray full stop to begin with
    piece = piece.slice(skip);
    start += skip;
    var marked = escape(piece);
    var sorted = words.slice().sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp(sorted.map(function (w) {
      return escape(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    marked = marked.replace(pattern, "<mark>$&</mark>");
    return (start > 0 ? "…" : "") + marked + (start + 60 < text.length ? "…" : "");
  }

  function facts(data) {
    var parts = [data.meta["类型"], data.meta["所属"], data.meta["日期"]];
    ((data.filters && data.filters["状态"]) || []).forEach(function (s) { parts.push(s); });
    return parts.filter(Boolean).map(escape).join(" · ");
  }

  async function render(list, results, words) {
    var items = await Promise.all(results.map(function (r) { return r.data(); }));
    items.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "search-result";
      li.innerHTML =
        '<h2 class="search-result-title"><a href="' + escape(data.url) + '">' +
        escape(data.meta.title || data.url) + "</a></h2>" +
        '<p class="search-result-facts">' + facts(data) + "</p>" +
        '<p class="search-result-excerpt">' + excerpt(data.content, data.meta.title, words) + "</p>";
      list.appendChild(li);
    });
  }

  async function showMore() {
    var mine = run;
    root.dataset.state = "searching";
    shown.element.after(more);
    var next = shown.list.slice(shown.count, shown.count + (shown.count ? PAGE : FIRST));
    shown.count += next.length;
    await render(shown.element, next, shown.words);
    if (mine !== run) return;
    more.hidden = shown.count >= shown.list.length;
    root.dataset.state = "done";
  }

  function quotedWords(words) {
    return words.map(function (w) { return "“" + w + "”"; }).join("、");
  }

  async function search(query) {
    var mine = ++run;
    var words = query.replace(/["“”]/g, " ").split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
    exactList.textContent = "";
    similarList.textContent = "";
    similar.hidden = true;
    also.hidden = true;
    more.hidden = true;
    if (!words.length) {
      status.textContent = "请在页面顶部的搜索框输入要找的词。";
      root.dataset.state = "done";
      return;
    }
    if (lead) lead.hidden = true; // the first result fits a phone's first screen
    root.dataset.state = "searching";
    status.textContent = "正在搜索……";
    var filters = chosenFilters();
    var narrowed = Object.keys(filters).length ? "（在筛选范围内）" : "";
    var exact = await exactResults(words, filters);
    if (mine !== run) return;
    var extra = [];
    words.forEach(function (w) {
      alternatives(w).slice(1).forEach(function (a) { if (extra.indexOf(a) < 0) extra.push(a); });
    });
    if (extra.length) {
      also.textContent = "也搜索了同义词：" + extra.join("、");
      also.hidden = false;
    }
    var wanted = [];
    words.forEach(function (w) { wanted = wanted.concat(alternatives(w)); });
    if (exact.length) {
      status.textContent = "找到 " + exact.length + " 个含" + quotedWords(words) +
        (exact.some(function (r) { return r.literal < words.length; }) ? "或其同义词" : "") +
        "的结果" + narrowed + "。";
      shown = { list: exact, count: 0, element: exactList, words: wanted };
      await showMore();
      return;
    }
    status.textContent = "没有找到" + quotedWords(words) + narrowed + "。";
    var loose = await ids(words.join(" ").replace(betweenHan, "$1 "), filters);
    if (mine !== run) return;
    if (loose.length) {
      similarNote.textContent = "下面的页面不含" + quotedWords(words) +
        "，只含其中的部分字词，供参考：";
      similar.hidden = false;
      var chars = [];
      words.forEach(function (w) {
        Array.from(w).forEach(function (c) { if (chars.indexOf(c) < 0) chars.push(c); });
      });
      shown = { list: loose, count: 0, element: similarList, words: chars };
      await showMore();
    } else {
      status.textContent += "请换个说法，或按类型、社区浏览。";
      root.dataset.state = "done";
    }
  }

  /* The filters' values, read from the index only when the filters are opened (at 10,000
     items Pagefind's filter files weigh about 80 KB) */
  var filled = null;
  function fillFilters() {
    filled = filled || pagefind.filters().then(function (all) {
      selects.forEach(function (select) {
        Object.keys(all[select.dataset.filter] || {}).forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
      });
    });
    return filled;
  }

  async function start() {
    pagefind = await import(bundle + "pagefind.js");
    var loaded = await fetch(bundle + "search-synonyms.json");
    synonyms = (loaded.ok ? (await loaded.json()).synonyms : null) || [];
    root.querySelector(".search-filters").addEventListener("toggle", fillFilters);
    var query = new URLSearchParams(window.location.search).get("q") || "";
    if (box) {
      box.value = query;
      box.form.addEventListener("submit", function (event) {
        event.preventDefault();
        var url = new URL(window.location.href);
        url.searchParams.set("q", box.value.trim());
        window.history.replaceState(null, "", url);
        search(box.value);
      });
    }
    selects.forEach(function (s) {
      s.addEventListener("change", function () { search(box ? box.value : query); });
    });
    more.addEventListener("click", showMore);
    await search(query);
  }

  start().catch(function () {
    status.textContent = "搜索暂时无法使用，请稍后再试，或按类型、社区浏览。";
    root.dataset.state = "done";
  });
})();
