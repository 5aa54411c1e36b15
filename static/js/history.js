// The history of a grid cell (docs/ARCHIVE.md): for the deputy and the director a click
// on a mark, an attendance entry or a period mark opens its history from the audit trail.
// The register (journal/register.py): one cell per lesson; a click on its attendance
// opens the attendance history, on a mark that work's mark history; a period-mark cell
// (td.pm with the mark's id) its period-mark history. Only where the cell cannot be
// edited: in a grid she may write (a deputy who teaches the class) a click edits the
// cell, and the history is on the lesson page («История урока»).
(function () {
  "use strict";
  function init() {
    var table = document.querySelector("table.grid[data-history-mark]");
    if (!table) return;
    table.tBodies[0].addEventListener("click", function (ev) {
      var url = null;
      var pm = ev.target.closest("td.pm[data-id]");
      if (pm) {
        if (table.dataset.pmRo === "1" && table.dataset.historyPm) {
          url = table.dataset.historyPm.replace("111111", pm.dataset.id);
        }
        if (url) window.location.href = url;
        return;
      }
      if (table.dataset.ro !== "1") return;
      var td = ev.target.closest("td[data-cell]");
      var tr = td && td.parentElement;
      if (!td || !tr.dataset.p) return;
      var th = document.getElementById("h-" + td.dataset.l);
      var span = ev.target.closest("span.m, span.a");
      var works = th && th.dataset.w ? th.dataset.w.split(",") : [];
      var items = (td.dataset.m || "").split("|");
      var filled = works.filter(function (id, i) { return items[i] && items[i].split(":")[0]; });
      if (span && span.classList.contains("m")) {
        var marks = Array.prototype.slice.call(td.querySelectorAll("span.m"));
        var id = filled[marks.indexOf(span)];
        if (id) url = table.dataset.historyMark.replace("111111", id).replace("222222", tr.dataset.p);
      } else if (span || (!filled.length && td.dataset.a)) {
        url = table.dataset.historyAttendance.replace("111111", td.dataset.l).replace("222222", tr.dataset.p);
      } else if (filled.length) {
        url = table.dataset.historyMark.replace("111111", filled[0]).replace("222222", tr.dataset.p);
      }
      if (url) window.location.href = url;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
