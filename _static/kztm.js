/* Draws the book's charts with the locally served Vega (their specs are compiled from Vega-Lite at
   build time, see kztm/charts.py), shows their tooltips, and offers each chart for download as an
   image and as the data it plots; shows each map in its frame; writes the search page's snippets;
   puts a filter box above each register's full listing; names each table cell by its column, for
   phones.
   Loaded deferred, like Vega, and draws each chart and map only as it nears the window: drawing
   them all at load held a phone's main thread for half a second on the longer chapters. One
   namespaced object, so chart outputs leak no globals into the page. */
window.kztm = window.kztm || {};

window.kztm.csv = function (rows) {
  "use strict";
  var columns = [];
  rows.forEach(function (row) {
    Object.keys(row).forEach(function (key) {
      if (columns.indexOf(key) < 0) { columns.push(key); }
    });
  });
  function cell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  return [columns.map(cell).join(",")].concat(rows.map(function (row) {
    return columns.map(function (key) { return cell(row[key]); }).join(",");
  })).join("\n") + "\n";
};

window.kztm.save = function (url, filename) {
  "use strict";
  var link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
};

window.kztm.addDownloads = function (element, view, spec) {
  "use strict";
  var name = (spec.usermeta && spec.usermeta.kztm && spec.usermeta.kztm.name) || element.id;
  // The first dataset that holds values is the frame the chart plots; the others derive from it.
  var plotted = (spec.data || []).filter(function (data) { return Array.isArray(data.values); });
  var rows = plotted.length ? plotted[0].values : [];
  var bar = document.createElement("p");
  bar.className = "kztm-chart-downloads";
  bar.appendChild(document.createTextNode("Download this chart: "));
  function button(label, title, action) {
    var control = document.createElement("button");
    control.type = "button";
    control.textContent = label;
    control.title = title;
    control.addEventListener("click", action);
    bar.appendChild(control);
  }
  ["png", "svg"].forEach(function (type) {
    button(type.toUpperCase(), "The chart as a " + type.toUpperCase() + " image", function () {
      view.toImageURL(type, type === "png" ? 2 : 1).then(function (url) {
        window.kztm.save(url, name + "." + type);
      });
    });
  });
  button("CSV", "The data this chart plots, as CSV", function () {
    var blob = new Blob([window.kztm.csv(rows)], { type: "text/csv" });
    var url = URL.createObjectURL(blob);
    window.kztm.save(url, name + ".csv");
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  element.parentNode.insertBefore(bar, element.nextSibling);
};

// Vega's tooltip handler: the hovered item's fields as a key/value table, placed by the pointer
// and kept inside the window. Text only (textContent), so markup in the data stays text.
window.kztm.tooltip = function (handler, event, item, value) {
  "use strict";
  var box = document.getElementById("kztm-tooltip");
  if (!box) {
    box = document.createElement("div");
    box.id = "kztm-tooltip";
    box.setAttribute("role", "tooltip");
    document.body.appendChild(box);
  }
  if (value === null || value === undefined || value === "") {
    box.classList.remove("visible");
    return;
  }
  box.replaceChildren();
  if (typeof value === "object" && !Array.isArray(value)) {
    var table = document.createElement("table");
    Object.keys(value).forEach(function (key) {
      if (value[key] === undefined) { return; }
      var row = table.insertRow();
      row.insertCell().textContent = key;
      row.insertCell().textContent = String(value[key]);
      row.cells[0].className = "key";
    });
    box.appendChild(table);
  } else {
    box.textContent = String(value);
  }
  box.classList.add("visible");
  var gap = 12;
  var left = event.clientX + gap;
  var top = event.clientY + gap;
  if (left + box.offsetWidth > window.innerWidth) { left = event.clientX - gap - box.offsetWidth; }
  if (top + box.offsetHeight > window.innerHeight) { top = event.clientY - gap - box.offsetHeight; }
  box.style.left = Math.max(0, left) + "px";
  box.style.top = Math.max(0, top) + "px";
};

window.kztm.embedChart = function (elementId) {
  "use strict";
  var element = document.getElementById(elementId);
  var spec = JSON.parse(document.getElementById(elementId + "-spec").textContent);
  var view;
  try {
    view = new window.vega.View(window.vega.parse(spec), {
      renderer: "svg", container: element, hover: true
    });
  } catch (error) {
    element.textContent = "This chart could not be drawn: " + error.message;
    console.error(error);
    return;
  }
  view.tooltip(window.kztm.tooltip);
  view.runAsync().then(function () {
    window.kztm.addDownloads(element, view, spec);
  }).catch(function (error) {
    element.textContent = "This chart could not be drawn: " + error.message;
    console.error(error);
  });
};

// A map's document waits in its frame's data-srcdoc (see kztm/maps.py) until the map nears the
// window.
window.kztm.showMap = function (frame) {
  "use strict";
  if (frame.dataset.srcdoc) {
    frame.srcdoc = frame.dataset.srcdoc;
    delete frame.dataset.srcdoc;
  }
};

// Calls show(element) once for each element, when it comes within a screen of the window (or at
// once where the browser cannot tell), and for every one still waiting when the page is printed.
window.kztm.whenNear = function (elements, show) {
  "use strict";
  var waiting = Array.prototype.slice.call(elements);
  function reveal(element) {
    var index = waiting.indexOf(element);
    if (index >= 0) {
      waiting.splice(index, 1);
      show(element);
    }
  }
  if (!("IntersectionObserver" in window)) {
    waiting.slice().forEach(reveal);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        reveal(entry.target);
      }
    });
  }, { rootMargin: "100% 0px" });
  waiting.forEach(function (element) { observer.observe(element); });
  window.addEventListener("beforeprint", function () { waiting.slice().forEach(reveal); });
};

// The search page's snippets. Sphinx's own look in the page's whole main element for the stemmed
// query ("railwai" for "railway"), find no such word and show the element's first characters,
// which are the toolbar's ".ipynb". These come from the article (or the section the result
// points to) and are centred on the first word of the query as typed, else on a stem.
window.kztm.searchSummary = function (htmlText, keywords, anchor) {
  "use strict";
  var page = new DOMParser().parseFromString(htmlText, "text/html");
  // The page's title is the result's link already.
  page.querySelectorAll("h1, .headerlink, script, style").forEach(function (element) {
    element.remove();
  });
  var section = anchor ? page.getElementById(anchor.replace(/^#/, "")) : null;
  var scope = section || page.querySelector("article") || page.body;
  var text = scope.textContent.replace(/\s+/g, " ").trim();
  var typed = (new URLSearchParams(window.location.search).get("q") || "").split(/\s+/);
  var lower = text.toLowerCase();
  var found = typed.concat(Array.from(keywords)).filter(Boolean).map(function (word) {
    return lower.indexOf(word.toLowerCase());
  }).filter(function (index) { return index > -1; });
  // About 240 characters around the word, cut between words.
  var start = Math.max((found.length ? found[0] : 0) - 120, 0);
  if (start > 0) { start = text.indexOf(" ", start) + 1; }
  var end = start + 240 < text.length ? text.lastIndexOf(" ", start + 240) : text.length;
  if (end <= start) { end = Math.min(start + 240, text.length); }
  var summary = document.createElement("p");
  summary.className = "context";
  summary.textContent = (start > 0 ? "… " : "") + text.substring(start, end) +
    (end < text.length ? " …" : "");
  return summary;
};

window.kztm.filterable = function (table) {
  "use strict";
  // A register's full listing (kztm.tables.register): a box above it keeps the rows that contain
  // every word typed, whatever the case, and says how many it shows.
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var box = document.createElement("p");
  box.className = "kztm-filter";
  var label = document.createElement("label");
  var input = document.createElement("input");
  input.type = "search";
  label.appendChild(document.createTextNode("Filter the rows: "));
  label.appendChild(input);
  var status = document.createElement("span");
  status.setAttribute("role", "status");
  box.appendChild(label);
  box.appendChild(status);
  function show() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var kept = words.every(function (word) { return text.indexOf(word) >= 0; });
      row.hidden = !kept;
      shown += kept ? 1 : 0;
    });
    status.textContent = " " + shown + " of " + rows.length + " rows";
  }
  input.addEventListener("input", show);
  (table.closest(".table-wrapper") || table).before(box);
  show();
};

window.kztm.labelCells = function (table) {
  "use strict";
  // On a phone (kztm.css) each row of a table too wide for the column reads as a card, every
  // cell named by its column: the cells carry their column's header for the style sheet to show.
  // A table that fits stays a table.
  var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  if (!headers.length) { return; }
  table.querySelectorAll("tbody tr").forEach(function (row) {
    Array.prototype.forEach.call(row.children, function (cell, index) {
      if (headers[index]) { cell.setAttribute("data-label", headers[index]); }
    });
  });
  var box = table.parentElement;
  if (table.scrollWidth > box.clientWidth + 1) { table.classList.add("kztm-cards"); }
};

document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  window.kztm.whenNear(document.querySelectorAll(".kztm-chart"), function (element) {
    window.kztm.embedChart(element.id);
  });
  window.kztm.whenNear(document.querySelectorAll("iframe.kztm-map-frame"), window.kztm.showMap);
  document.querySelectorAll("table.kztm-register").forEach(window.kztm.filterable);
  document.querySelectorAll("article table.table").forEach(window.kztm.labelCells);
  // Sphinx's searchtools.js, on the search page only, declares the global Search.
  if (typeof Search !== "undefined") {
    Search.makeSearchSummary = window.kztm.searchSummary;
  }
});
