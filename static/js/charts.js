// Draws the plotly charts whose figures the page carries as JSON (Django's json_script).
// Progressive enhancement only: every chart has a table with the same figures beside it,
// and the chart's box stays hidden when this file or plotly.js does not run.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) {
    return;
  }
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
    window.Plotly.newPlot(box, figure.data, figure.layout || {}, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  });
});
