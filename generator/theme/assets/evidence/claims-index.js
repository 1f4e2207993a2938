/* Filtering and sorting for the claims tables. No dependencies; works offline.
 *
 * Topic pages carry their rows in the HTML. The claims index fetches its rows from JSON files listed in
 * its config (#ev-index-data), each with the number of rows it holds of every facet combination (topic,
 * verdict, grade, disagreement). From those numbers the page knows, before fetching anything, how many
 * claims match and which files hold the first screen of them, so it fetches only those. Before the reader
 * interacts (a page load, a shared link) it never fetches more than config.bytes_before_interaction; a
 * sort in the URL that needs more waits for the reader's click, and says so.
 *
 * The filters and the sort live in the URL query (?topic=relief&verdict=supported&sort=grade), so a
 * filtered view can be shared and bookmarked; the query is read again on load and on Back. */
(function () {
  "use strict";
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
    // Each row remembers its place in the table's own order, to return to when a sort is undone.
    rows.forEach(function (row, i) { row.evOrder = i; });
    var counter = document.querySelector("[data-ev-count]");
    var shownNote = document.querySelector("[data-ev-shown]");
    var empty = document.querySelector("[data-ev-empty]");
    var reset = document.querySelector("[data-ev-reset]");
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    var more = document.querySelector("[data-ev-more]");
    var sortNote = document.querySelector("[data-ev-sort-note]");
    var configNode = document.getElementById("ev-index-data");
    var config = configNode ? JSON.parse(configNode.textContent) : null;
    var files = config ? config.files : [];
    var root = new URL((table.dataset.evRoot || ".") + "/", location.href);
    var step = files.length ? config.rows_per_step : Infinity;
    var budget = files.length ? config.bytes_before_interaction : Infinity;
    var limit = step;
    var sortState = null;
    // True once the reader has done something; until then fetches stay within the budget.
    var interacted = false;
    // True while a sort in the URL waits for the reader's go-ahead to fetch every matching row.
    var sortWaits = false;
    var fetchedBytes = 0;
    var loaded = files.map(function () { return null; });
    var firstRow = [];
    files.reduce(function (offset, file, i) {
      firstRow[i] = offset;
      return offset + file.counts.reduce(function (sum, c) { return sum + c[c.length - 1]; }, 0);
    }, 0);
    var facet = config ? function (name) { return config.facets.indexOf(name); } : null;

    function filters() {
      return {
        topic: form ? form.elements.topic.value : "",
        verdict: form ? form.elements.verdict.value : "",
        grade: form ? form.elements.grade.value : "",
        disputed: form ? form.elements.disputed.checked : false,
      };
    }

    function rowMatches(row, f) {
      return (!f.topic || row.dataset.topic === f.topic) &&
        (!f.verdict || row.dataset.verdict === f.verdict) &&
        (!f.grade || row.dataset.grade === f.grade) &&
        (!f.disputed || row.dataset.disputed === "yes");
    }

    /* How many rows of a file match: from the counts its config entry lists, without fetching it. */
    function matchesIn(file, f) {
      return file.counts.reduce(function (sum, c) {
        var match = (!f.topic || c[facet("topic")] === f.topic) &&
          (!f.verdict || config.verdicts[c[facet("verdict")]].value === f.verdict) &&
          (!f.grade || config.grades[c[facet("grade")]].letter === f.grade) &&
          (!f.disputed || c[facet("disputed")] === 1);
        return match ? sum + c[c.length - 1] : sum;
      }, 0);
    }

    function matchingTotal(f) {
      if (!files.length) return rows.filter(function (row) { return rowMatches(row, f); }).length;
      return files.reduce(function (sum, file) { return sum + matchesIn(file, f); }, 0);
    }

    /* The files that hold the first `limit` matching rows, in order; all files with a match when `all`. */
    function filesFor(f, all) {
      var found = 0;
      var wanted = [];
      files.forEach(function (file, i) {
        if (!all && found >= limit) return;
        var matches = matchesIn(file, f);
        if (!matches) return;
        wanted.push(i);
        found += matches;
      });
      return wanted;
    }

    function missing(wanted) { return wanted.filter(function (i) { return !loaded[i]; }); }
    function bytesOf(wanted) { return wanted.reduce(function (sum, i) { return sum + files[i].bytes; }, 0); }
    function allLoaded(wanted) { return wanted.every(function (i) { return loaded[i] && loaded[i].done; }); }

    function fetchFile(i) {
      fetchedBytes += files[i].bytes;
      var promise = fetch(new URL(files[i].url, root).href).then(function (response) {
        if (!response.ok) throw new Error(files[i].url + ": " + response.status);
        return response.json();
      }).then(function (values) {
        values.forEach(function (value, j) {
          var row = buildRow(value, config, root);
          row.evOrder = firstRow[i] + j;
          rows.push(row);
        });
        promise.done = true;
      });
      loaded[i] = promise;
      return promise;
    }

    /* Fetch what the current state needs, then show it. Before the reader interacts, stop at the budget. */
    function update() {
      var f = filters();
      var wanted = missing(filesFor(f, false));
      sortWaits = false;
      if (sortState) {
        var all = missing(filesFor(f, true));
        if (interacted || fetchedBytes + bytesOf(all) <= budget) {
          wanted = all;
        } else {
          sortWaits = true;
        }
      }
      if (!interacted) {
        var left = budget - fetchedBytes;
        wanted = wanted.filter(function (i) {
          left -= files[i].bytes;
          return left >= 0;
        });
      }
      var pending = wanted.map(fetchFile).concat(loaded.filter(function (p) { return p && !p.done; }));
      show();
      return Promise.all(pending).then(show);
    }

    var placed = "";
    /* Put the rows in order (the sort once every matching row is in, else the table's own order). */
    function place(sorted) {
      var order = (sorted ? sortState.key + (sortState.ascending ? "+" : "-") : "") + ":" + rows.length;
      if (order === placed) return;
      placed = order;
      if (sorted) {
        rows.sort(function (a, b) {
          var x = sortKey(a, sortState.key), y = sortKey(b, sortState.key);
          var by = x < y ? -1 : x > y ? 1 : 0;
          return (sortState.ascending ? by : -by) || a.evOrder - b.evOrder;
        });
      } else {
        rows.sort(function (a, b) { return a.evOrder - b.evOrder; });
      }
      rows.forEach(function (row) { body.appendChild(row); });
    }

    function show() {
      var f = filters();
      var sorted = !!sortState && allLoaded(filesFor(f, true));
      place(sorted);
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
        if (!cell.dataset.sort) return;
        var active = sorted && cell.dataset.sort === sortState.key;
        cell.setAttribute("aria-sort", active ? (sortState.ascending ? "ascending" : "descending") : "none");
      });
      var shown = 0;
      rows.forEach(function (row) {
        var match = rowMatches(row, f);
        row.hidden = !match || shown >= limit;
        if (match && shown < limit) shown += 1;
      });
      var total = matchingTotal(f);
      if (counter) counter.textContent = String(total);
      if (shownNote) shownNote.textContent = shown < total ? "match; " + shown + " shown" : "shown";
      if (more) more.parentNode.hidden = shown >= total;
      if (sortNote) {
        sortNote.hidden = !(sortState && sortWaits && !sorted);
        var label = sortNote.querySelector("[data-ev-sort-label]");
        var header = sortState ? table.tHead.querySelector('th[data-sort="' + CSS.escape(sortState.key) + '"]') : null;
        if (label && header) label.textContent = header.textContent.trim().toLowerCase();
      }
      // An empty table would show only its header: say in words that nothing matches instead.
      var none = total === 0;
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
      return update();
    }

    function remember() {
      var query = stateQuery();
      if (query !== location.search) history.pushState(null, "", location.pathname + query + location.hash);
    }

    /* What the reader does: from here on the page fetches whatever the state needs. */
    function act() {
      interacted = true;
      remember();
      update();
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
          var same = sortState && sortState.key === key && cell.getAttribute("aria-sort") === "ascending";
          sortState = { key: key, ascending: !same };
          act();
        });
      });
    }

    if (form) {
      form.addEventListener("change", act);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
    if (reset && form) {
      reset.addEventListener("click", function () {
        form.reset();
        act();
      });
    }
    window.addEventListener("popstate", restore);
    if (more) {
      more.addEventListener("click", function () {
        limit += step;
        act();
      });
    }
    var sortAll = document.querySelector("[data-ev-sort-all]");
    if (sortAll) sortAll.addEventListener("click", act);
    // The sort buttons appear once the first rows are in: they tell readers (and tests) the table is ready.
    restore().then(addSortButtons);
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
