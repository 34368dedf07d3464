/* Draws the book's charts with the locally served Vega bundle (see kztm/charts.py).
   One namespaced function, so chart outputs leak no globals into the page. */
window.kztm = window.kztm || {};
window.kztm.embedChart = function (elementId) {
  "use strict";
  var element = document.getElementById(elementId);
  var spec = JSON.parse(document.getElementById(elementId + "-spec").textContent);
  window.vegaEmbed(element, spec, { actions: false, renderer: "svg" }).catch(function (error) {
    element.textContent = "This chart could not be drawn: " + error.message;
    console.error(error);
  });
};
