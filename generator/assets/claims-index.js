/* Filtering and sorting for the claims tables. No dependencies; works offline. */
(function () {
  "use strict";
  var GRADE_ORDER = { A: 1, B: 2, C: 3, D: 4 };
  var VERDICT_ORDER = { "supported": 1, "contested": 2, "inconclusive": 3, "not supported": 4, "insufficient evidence": 5 };

  function sortKey(row, key) {
    var value = row.dataset[key] || "";
    if (key === "grade") return GRADE_ORDER[value] || 9;
    if (key === "verdict") return VERDICT_ORDER[value] || 9;
    if (key === "sources") return -parseInt(value, 10);
    return value;
  }

  function setup(table) {
    var form = document.querySelector("[data-ev-filters]");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var counter = document.querySelector("[data-ev-count]");

    function applyFilters() {
      if (!form) return;
      var topic = form.elements.topic.value;
      var verdict = form.elements.verdict.value;
      var grade = form.elements.grade.value;
      var disputed = form.elements.disputed.checked;
      var shown = 0;
      rows.forEach(function (row) {
        var visible = (!topic || row.dataset.topic === topic) &&
          (!verdict || row.dataset.verdict === verdict) &&
          (!grade || row.dataset.grade === grade) &&
          (!disputed || row.dataset.disputed === "yes");
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (counter) counter.textContent = String(shown);
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      var key = cell.dataset.sort;
      if (!key) return;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = cell.textContent;
      cell.textContent = "";
      cell.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = cell.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          if (other.dataset.sort) other.setAttribute("aria-sort", "none");
        });
        cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = sortKey(a, key), y = sortKey(b, key);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    if (form) {
      form.addEventListener("change", applyFilters);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      applyFilters();
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-ev-claims]"), setup);
  }

  // Material's instant navigation swaps pages without a reload; document$ fires on each.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
