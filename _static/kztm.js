/* Draws the book's charts with the locally served Vega bundle (see kztm/charts.py), and offers
   each chart for download as an image and as the data it plots. One namespaced object, so chart
   outputs leak no globals into the page. */
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
  var datasets = spec.datasets || {};
  var rows = datasets[Object.keys(datasets)[0]] || [];
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

window.kztm.embedChart = function (elementId) {
  "use strict";
  var element = document.getElementById(elementId);
  var spec = JSON.parse(document.getElementById(elementId + "-spec").textContent);
  window.vegaEmbed(element, spec, { actions: false, renderer: "svg" }).then(function (result) {
    window.kztm.addDownloads(element, result.view, spec);
  }).catch(function (error) {
    element.textContent = "This chart could not be drawn: " + error.message;
    console.error(error);
  });
};
