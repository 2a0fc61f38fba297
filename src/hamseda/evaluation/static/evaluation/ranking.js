/* The bar charts of the ranking pages (evaluation/cycle_detail.html: provinces;
   evaluation/province_detail.html: a province's offices), drawn with Chart.js
   (core/static/vendor/chartjs) from the page's JSON block #hs-ranking-data:
   {"bars": {"labels": [...], "values": [...], "label": "..."}}.

   The same figures are a table in the page: while no chart is drawn (no
   JavaScript, or Chart.js failed) the canvas stays hidden. Right to left: bars
   grow from the right, names on the right, fa-IR digits on the axis. */
(function () {
  "use strict";

  var COLOR = "#1f5f8b";

  function payload() {
    var el = document.getElementById("hs-ranking-data");
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function cut(label) {
    return label.length > 30 ? label.slice(0, 29) + "…" : label;
  }

  function draw() {
    var Chart = window.Chart;
    var data = payload();
    var canvas = document.querySelector("canvas[data-chart='bars']");
    if (!Chart || !data || !data.bars || !canvas) return;
    var holder = canvas.closest(".hs-chart-canvas");
    var bars = data.bars;
    if (!holder || !bars.labels.length) return;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.locale = "fa-IR";
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.animation = false;
    Chart.defaults.plugins.tooltip.rtl = true;
    Chart.defaults.plugins.tooltip.textDirection = "rtl";
    // Shown before drawing: Chart.js sizes the chart to its visible box; as tall
    // as its bars need, so three provinces do not get 600px.
    holder.hidden = false;
    holder.style.height = Math.max(120, 26 * bars.labels.length + 40) + "px";
    try {
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: bars.labels.map(cut),
          datasets: [{ label: bars.label, data: bars.values, backgroundColor: COLOR, maxBarThickness: 22 }]
        },
        options: {
          indexAxis: "y",
          scales: {
            x: {
              reverse: true,
              beginAtZero: true,
              suggestedMax: 100,
              // Persian digits on every tick, 0 included.
              ticks: { callback: function (value) { return Number(value).toLocaleString("fa-IR"); } }
            },
            y: { position: "right", grid: { display: false }, ticks: { autoSkip: false } }
          },
          plugins: { legend: { display: false } }
        }
      });
    } catch (error) {
      holder.hidden = true;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
