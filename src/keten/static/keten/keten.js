/* Keten front-end behaviour. No inline scripts (CSP): everything is wired from data attributes. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector(".keten-error-summary");
    if (summary) { summary.focus(); }
  }

  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var table = document.getElementById(canvas.dataset.chartSource);
      if (!table) { return; }
      var labels = [];
      var values = [];
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var label = row.querySelector("th");
        var cell = row.querySelector("td[data-value]");
        if (!label || !cell) { return; }
        labels.push(label.textContent.trim());
        values.push(cell.dataset.value === "" ? null : Number(cell.dataset.value));
      });
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: canvas.dataset.chart,
        data: { labels: labels, datasets: [{ label: table.querySelector("caption").textContent.trim(), data: values, backgroundColor: "#2b5a8a" }] },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    drawCharts(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
