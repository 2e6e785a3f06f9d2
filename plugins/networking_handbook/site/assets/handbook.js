// networking-handbook: filter and sort the table that follows a `.handbook-filter` box.
// Local, dependency-free, and it sends nothing anywhere.
(function () {
  "use strict";

  function tableAfter(element) {
    var tables = document.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      if (element.compareDocumentPosition(tables[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return tables[i];
      }
    }
    return null;
  }

  // A cell's text without its pictures' alternatives ("overdue"): what a reader sees in it.
  function cellText(cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll("svg").forEach(function (svg) { svg.remove(); });
    return copy.textContent.trim();
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (header, column) {
      header.setAttribute("tabindex", "0");
      header.setAttribute("role", "button");
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellText(a.cells[column]);
          var y = cellText(b.cells[column]);
          if (x === y) { return 0; }
          if (x === "") { return 1; }  // empty cells last, either way
          if (y === "") { return -1; }
          var order = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
    table.setAttribute("data-handbook-sortable", "");
  }

  // "3 days overdue" as of the viewer's own day: a static site is rebuilt daily, but may be
  // read days later. Only live builds (not those with a fixed `today`) mark due dates.
  function whenDue(days) {
    if (days === 0) { return "due today"; }
    var n = Math.abs(days);
    var unit = n === 1 ? "day" : "days";
    return days > 0 ? n + " " + unit + " overdue" : "in " + n + " " + unit;
  }

  function relabelDueDates() {
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    document.querySelectorAll("span.handbook-when[data-due]").forEach(function (span) {
      var parts = span.getAttribute("data-due").split("-").map(Number);
      var days = Math.round((today - Date.UTC(parts[0], parts[1] - 1, parts[2])) / 86400000);
      span.textContent = whenDue(days);
    });
  }

  function setUp() {
    relabelDueDates();
    document.querySelectorAll("input.handbook-filter").forEach(function (input) {
      var table = tableAfter(input);
      if (!table || table.hasAttribute("data-handbook-sortable")) { return; }
      makeSortable(table);
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var text = row.textContent.toLowerCase();
          row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
        });
      });
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setUp);  // mkdocs-material with instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
