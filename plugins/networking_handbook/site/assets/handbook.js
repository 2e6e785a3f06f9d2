// networking-handbook: filter and sort the table that follows a `.handbook-filter` box; on
// People pages too many for one page, find anyone in the site's own `people/index.json`.
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

  function wordsOf(input) {
    return input.value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function filterRows(table, words) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
  }

  var SHOWN = 50;  // matches listed at once: type more to narrow them
  var STATUS = { overdue: "overdue", today: "due today", soon: "due this week" };

  // The index's rows are [name, page (relative to the index), company, tags, stage, status].
  function foundItem(row, base) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = new URL(row[1], base).href;
    link.textContent = row[0];
    item.appendChild(link);
    var about = [row[2], row[3], row[4]].filter(Boolean).join(" · ");
    if (STATUS[row[5]]) {
      var status = document.createElement("strong");
      status.className = "handbook-found__" + row[5];
      status.textContent = " " + STATUS[row[5]];
      item.appendChild(status);
    }
    if (about) {
      var details = document.createElement("span");
      details.textContent = about;
      item.appendChild(details);
    }
    return item;
  }

  // Find anyone: the page's table gives way to the matches among everyone while the box is
  // not empty. Should the index not load, the box filters this page's table instead.
  function findAnyone(input, table) {
    var base = new URL(input.getAttribute("data-handbook-index"), window.location.href);
    var box = document.createElement("div");
    box.className = "handbook-found";
    box.setAttribute("aria-live", "polite");
    box.hidden = true;
    (input.closest("p") || input).after(box);
    var hide = table.closest(".md-typeset__scrollwrap") || table;
    var people = null;
    var failed = false;
    var loading = null;

    function show() {
      var words = wordsOf(input);
      if (failed || !words.length) {
        box.hidden = true;
        hide.hidden = false;
        filterRows(table, failed ? words : []);
        return;
      }
      if (people === null) {
        loading = loading || fetch(base.href, { credentials: "same-origin" })
          .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
          .then(function (data) {
            people = data.people.map(function (row) {
              return { row: row, text: [row[0], row[2], row[3], row[4]].join(" ").toLowerCase() };
            });
          })
          .catch(function () { failed = true; })
          .then(show);
        return;
      }
      var matches = people.filter(function (person) {
        return words.every(function (word) { return person.text.indexOf(word) !== -1; });
      });
      box.textContent = "";
      var summary = document.createElement("p");
      summary.textContent = matches.length === 0 ? "Nobody of the " + people.length + " people matches."
        : matches.length <= SHOWN ? matches.length + " of " + people.length + " people match."
        : "The first " + SHOWN + " by name of the " + matches.length + " who match: type more to narrow them.";
      box.appendChild(summary);
      var list = document.createElement("ul");
      matches.slice(0, SHOWN).forEach(function (person) { list.appendChild(foundItem(person.row, base)); });
      box.appendChild(list);
      box.hidden = false;
      hide.hidden = true;
    }

    input.addEventListener("input", show);
  }

  function setUp() {
    relabelDueDates();
    document.querySelectorAll("input.handbook-filter").forEach(function (input) {
      var table = tableAfter(input);
      if (!table || table.hasAttribute("data-handbook-sortable")) { return; }
      makeSortable(table);
      if (input.hasAttribute("data-handbook-index")) {
        findAnyone(input, table);
      } else {
        input.addEventListener("input", function () { filterRows(table, wordsOf(input)); });
      }
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
