// Draws the plotly charts whose figures the page carries as JSON (Django's json_script).
// Progressive enhancement only: every chart has a table with the same figures beside it,
// and the chart's box stays hidden when this file or plotly.js does not run.
// Once every chart is drawn, <html data-charts-drawn> tells the board report's PDF printer
// (dashboards/pdf.py) that the page is ready to print.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) {
    return;
  }
  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var source = document.getElementById(box.dataset.chart);
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    // fig.to_json() is a string, so json_script encodes it once more.
    if (typeof figure === "string") {
      figure = JSON.parse(figure);
    }
    box.hidden = false;
    // No mode bar: its buttons would sit inside the box's role="img", which hides them from
    // screen readers (axe: nested-interactive). The table beside the chart has the figures.
    drawn.push(window.Plotly.newPlot(box, figure.data, figure.layout || {}, {
      responsive: true,
      displayModeBar: false,
    }));
  });
  Promise.all(drawn).then(function () {
    document.documentElement.dataset.chartsDrawn = "true";
  });
});
