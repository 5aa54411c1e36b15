// The history of a grid cell (docs/ARCHIVE.md): for the deputy and the director a click
// on a mark or an attendance cell opens its history from the audit trail.
(function () {
  "use strict";
  function init() {
    var table = document.querySelector("table.grid[data-history-mark]");
    if (!table) return;
    var slots = Array.prototype.slice.call(table.querySelectorAll("thead tr.slots th[data-k]"));
    table.tBodies[0].addEventListener("click", function (ev) {
      var td = ev.target.closest("td");
      var tr = td && td.parentElement;
      if (!td || !tr.dataset.p) return;
      var cells = Array.prototype.filter.call(tr.children, function (c) { return c.tagName === "TD"; });
      var th = slots[cells.indexOf(td)];
      if (!th) return;
      var url = null;
      if (th.dataset.k === "m" && th.dataset.s) {
        url = table.dataset.historyMark.replace("111111", th.dataset.s).replace("222222", tr.dataset.p);
      } else if (th.dataset.k === "a") {
        url = table.dataset.historyAttendance.replace("111111", th.dataset.l).replace("222222", tr.dataset.p);
      }
      if (url) window.location.href = url;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
