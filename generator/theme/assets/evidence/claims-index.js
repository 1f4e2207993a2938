/* Filtering and sorting for the claims tables. No dependencies; works offline.
 *
 * Topic pages carry their rows in the HTML. The claims index loads its rows from small JSON files
 * (data-ev-chunks): the first at load, the rest when the reader first filters, sorts or asks for
 * more, so a large site never makes the page heavy before the reader does anything.
 *
 * The filters and the sort live in the URL query (?topic=relief&verdict=supported&sort=grade), so a
 * filtered view can be shared and bookmarked; the query is read again on load and on Back. */
(function () {
  "use strict";
  var ROWS_PER_STEP = 200;
  var FILTERS = ["topic", "verdict", "grade"];

  function sortKey(row, key) {
    var value = row.dataset[key] || "";
    // The order of verdicts and grades is the generator's: each row carries its rank.
    if (key === "grade") return parseInt(row.dataset.gradeRank, 10);
    if (key === "verdict") return parseInt(row.dataset.verdictRank, 10);
    if (key === "sources") return -parseInt(value, 10);
    return value;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(className, symbol, text) {
    var span = element("span", "ev-badge " + className);
    if (symbol) {
      var mark = element("span", "", symbol);
      mark.setAttribute("aria-hidden", "true");
      span.appendChild(mark);
      span.appendChild(document.createTextNode(" "));
    }
    span.appendChild(document.createTextNode(text));
    return span;
  }

  /* One table row from a data row, the same markup the topic pages carry. */
  function buildRow(values, config, root) {
    var data = {};
    config.columns.forEach(function (name, i) { data[name] = values[i]; });
    var verdict = config.verdicts[data.verdict];
    var grade = config.grades[data.grade];
    var row = document.createElement("tr");
    row.dataset.topic = data.topic;
    row.dataset.verdict = verdict.value;
    row.dataset.verdictRank = String(data.verdict);
    row.dataset.grade = grade.letter;
    row.dataset.gradeRank = String(data.grade);
    row.dataset.disputed = data.disputed ? "yes" : "no";
    row.dataset.sources = String(data.sources);
    row.dataset.claim = data.claim.toLowerCase();
    var claim = element("td");
    var link = element("a", "", data.claim);
    link.href = new URL(data.url, root).href;
    claim.appendChild(link);
    if (data.disputed) {
      claim.appendChild(document.createTextNode(" "));
      claim.appendChild(badge("ev-disagree", "⚠", "Sources disagree"));
    }
    row.appendChild(claim);
    row.appendChild(element("td", "ev-col-topic", config.topics[data.topic] || data.topic));
    var verdictCell = element("td");
    verdictCell.appendChild(badge("ev-verdict ev-verdict--" + verdict.css, verdict.symbol, "Verdict: " + verdict.label));
    row.appendChild(verdictCell);
    var gradeCell = element("td");
    gradeCell.appendChild(badge("ev-grade ev-grade--" + grade.css, "", "Grade " + grade.letter + " · " + grade.certainty + " certainty"));
    row.appendChild(gradeCell);
    row.appendChild(element("td", "ev-num ev-col-sources", String(data.sources)));
    var balanceCell = element("td", "ev-col-balance");
    var mini = element("span", "ev-mini");
    mini.setAttribute("role", "img");
    mini.setAttribute("aria-label", "Counted sources: " + data.supports + " support, " + data.contradicts + " contradict, " + data.mixed + " mixed");
    [["supports", "✓", data.supports], ["contradicts", "✗", data.contradicts], ["mixed", "~", data.mixed]].forEach(function (part, i) {
      if (i) mini.appendChild(document.createTextNode(" "));
      mini.appendChild(element("span", "ev-stance-text ev-stance--" + part[0], part[1] + part[2]));
    });
    balanceCell.appendChild(mini);
    row.appendChild(balanceCell);
    return row;
  }

  function setup(table) {
    var form = document.querySelector("[data-ev-filters]");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    // Each row remembers its place in site order, to return to when a sort is undone by Back.
    rows.forEach(function (row, i) { row.evOrder = i; });
    var counter = document.querySelector("[data-ev-count]");
    var empty = document.querySelector("[data-ev-empty]");
    var reset = document.querySelector("[data-ev-reset]");
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    var more = document.querySelector("[data-ev-more]");
    var chunks = (table.dataset.evChunks || "").split(" ").filter(Boolean);
    var configNode = document.getElementById("ev-index-data");
    var config = configNode ? JSON.parse(configNode.textContent) : null;
    var root = new URL((table.dataset.evRoot || ".") + "/", location.href);
    var limit = chunks.length ? ROWS_PER_STEP : Infinity;
    var sortState = null;
    var loading = null;

    function load(urls) {
      return Promise.all(urls.map(function (url) {
        return fetch(url).then(function (response) {
          if (!response.ok) throw new Error(url + ": " + response.status);
          return response.json();
        });
      })).then(function (parts) {
        parts.forEach(function (part) {
          part.forEach(function (values) {
            var row = buildRow(values, config, root);
            row.evOrder = rows.length;
            rows.push(row);
            body.appendChild(row);
          });
        });
        if (sortState) sortRows(sortState.key, sortState.ascending);
        apply();
      });
    }

    function loadAll() {
      if (!loading) loading = load(chunks.slice(1));
      return loading;
    }

    function apply() {
      var topic = form ? form.elements.topic.value : "";
      var verdict = form ? form.elements.verdict.value : "";
      var grade = form ? form.elements.grade.value : "";
      var disputed = form ? form.elements.disputed.checked : false;
      var matching = 0;
      rows.forEach(function (row) {
        var match = (!topic || row.dataset.topic === topic) &&
          (!verdict || row.dataset.verdict === verdict) &&
          (!grade || row.dataset.grade === grade) &&
          (!disputed || row.dataset.disputed === "yes");
        if (match) matching += 1;
        row.hidden = !match || matching > limit;
      });
      var total = parseInt(table.dataset.evTotal || "0", 10);
      var complete = rows.length >= total;
      if (counter && (complete || (!topic && !verdict && !grade && !disputed))) {
        counter.textContent = String(complete ? matching : total);
      }
      if (more) more.parentNode.hidden = complete ? matching <= limit : false;
      // An empty table would show only its header: say in words that nothing matches instead.
      var none = complete && matching === 0;
      if (empty) empty.hidden = !none;
      wrapper.hidden = none;
    }

    /* The state of the form and the sort as a query string, and back. */
    function stateQuery() {
      var params = new URLSearchParams();
      if (form) {
        FILTERS.forEach(function (name) {
          if (form.elements[name].value) params.set(name, form.elements[name].value);
        });
        if (form.elements.disputed.checked) params.set("disputed", "yes");
      }
      if (sortState) {
        params.set("sort", sortState.key);
        params.set("order", sortState.ascending ? "asc" : "desc");
      }
      var query = params.toString();
      return query ? "?" + query : "";
    }

    function hasOption(select, value) {
      return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
    }

    /* Set the form and the sort from the URL; values the page does not offer are ignored. */
    function restore() {
      var params = new URLSearchParams(location.search);
      if (form) {
        FILTERS.forEach(function (name) {
          var value = params.get(name) || "";
          form.elements[name].value = hasOption(form.elements[name], value) ? value : "";
        });
        form.elements.disputed.checked = params.get("disputed") === "yes";
      }
      var key = params.get("sort");
      var header = key ? table.tHead.querySelector('th[data-sort="' + CSS.escape(key) + '"]') : null;
      sortState = header ? { key: key, ascending: params.get("order") !== "desc" } : null;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
        if (!cell.dataset.sort) return;
        var active = sortState && cell.dataset.sort === sortState.key;
        cell.setAttribute("aria-sort", active ? (sortState.ascending ? "ascending" : "descending") : "none");
      });
      if (sortState) {
        sortRows(sortState.key, sortState.ascending);
      } else {
        rows.sort(function (a, b) { return a.evOrder - b.evOrder; });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      apply();
      // Any filter or sort applies to every claim, so the rest of the rows are needed now.
      if (chunks.length && params.toString()) loadAll();
    }

    function remember() {
      var query = stateQuery();
      if (query !== location.search) history.pushState(null, "", location.pathname + query + location.hash);
    }

    function sortRows(key, ascending) {
      rows.sort(function (a, b) {
        var x = sortKey(a, key), y = sortKey(b, key);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }

    function addSortButtons() {
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
          sortState = { key: key, ascending: ascending };
          sortRows(key, ascending);
          apply();
          remember();
          if (chunks.length) loadAll();
        });
      });
    }

    if (form) {
      form.addEventListener("change", function () {
        apply();
        remember();
        if (chunks.length) loadAll();
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
    if (reset && form) {
      reset.addEventListener("click", function () {
        form.reset();
        apply();
        remember();
      });
    }
    window.addEventListener("popstate", restore);
    if (more) {
      more.addEventListener("click", function () {
        limit += ROWS_PER_STEP;
        apply();
        loadAll();
      });
    }
    // The sort buttons appear once the first rows are in: they tell readers (and tests) the table is ready.
    if (chunks.length) {
      load(chunks.slice(0, 1)).then(function () {
        addSortButtons();
        restore();
      });
    } else {
      addSortButtons();
      restore();
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
