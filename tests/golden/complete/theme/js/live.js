/* live.js: re-evaluates the page's time-dependent facts with the reader's clock (progressive
   enhancement; without it the built state and its 信息更新于 date stand). The page carries the
   instants (ISO 8601 with the site's offset) and every wording; this file has none of its own.
   Vocabulary (docs/deploy.md, "Live states"):
     data-live-from=T   shown from T on          data-live-until=T  shown until T
     data-live-days=T   text: days since T, the first day counting 1 (已逾期 N 天)
     data-live-move=T   a list entry moving at T from [data-live-list=upcoming] to the top of
                        [data-live-list=past] on the same page (or leaving the page)
     data-live-empty    on a list: what to say once it is empty
     data-live-count=L  a count of list L's meetings: grows by those moved into "past",
                        shrinks by those moved out of "upcoming"
     #live-note         shown when anything changed */
(function () {
  "use strict";
  var now = Date.now(), changed = false;
  function at(el, name) { return Date.parse(el.getAttribute(name)); }
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  function show(el, on) {
    if (el.hidden === on) { el.hidden = !on; changed = true; }
  }
  all("[data-live-from]").forEach(function (el) { show(el, now >= at(el, "data-live-from")); });
  all("[data-live-until]").forEach(function (el) { show(el, now < at(el, "data-live-until")); });
  all("[data-live-days]").forEach(function (el) {
    var t = at(el, "data-live-days");
    if (now < t) return;
    var n = String(Math.floor((now - t) / 864e5) + 1);
    if (el.textContent !== n) { el.textContent = n; changed = true; }
  });
  var past = document.querySelector("[data-live-list=past]"), count = 0;
  all("[data-live-list=upcoming]").forEach(function (list) {
    var moved = all("[data-live-list=upcoming] > [data-live-move]").filter(function (li) {
      return li.parentNode === list && now >= at(li, "data-live-move");
    });
    moved.forEach(function (li) {
      li.removeAttribute("data-live-move");
      if (past) past.insertBefore(li, past.firstChild); else li.remove();
      changed = true;
      count++;
    });
    if (moved.length && !list.children.length) {
      var p = document.createElement("p"), empty = list.getAttribute("data-live-empty");
      p.className = "empty";
      p.textContent = empty;
      if (empty) list.replaceWith(p); else list.remove();
    }
  });
  all("[data-live-count]").forEach(function (el) {
    var up = el.getAttribute("data-live-count") === "upcoming";
    if (count && (up || past)) el.textContent = Number(el.textContent) + (up ? -count : count);
  });
  if (changed) {
    var note = document.getElementById("live-note");
    if (note) note.hidden = false;
  }
})();
