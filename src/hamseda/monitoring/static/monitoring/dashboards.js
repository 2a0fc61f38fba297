/* Charts of the coverage dashboards (monitoring/dashboards/*.html), drawn with
   Chart.js (served from core/static/vendor/chartjs) from the page's JSON block
   #hs-coverage-data. Each chart is also a table in the page: while no chart is
   drawn (no JavaScript, or Chart.js failed) the canvas stays hidden and the
   table open; once a chart is drawn its table folds away under its summary.

   Right to left: time runs from right to left (the x axis is reversed), the
   value axis is on the right, legends and tooltips read RTL; locale fa-IR gives
   Persian digits on the axes and in the tooltips. */
(function () {
  "use strict";

  var COLORS = {
    articles: "#1f5f8b",
    weight: "#c77c02",
    positive: "#2e7d32",
    neutral: "#9e9e9e",
    negative: "#c62828",
    bars: "#1f5f8b"
  };

  function payload() {
    var el = document.getElementById("hs-coverage-data");
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function timeScales(stacked) {
    return {
      x: { reverse: true, stacked: stacked, ticks: { maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
      y: { position: "right", stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }
    };
  }

  function barScales() {
    // Horizontal bars that grow from the right, names on the right.
    return {
      x: { reverse: true, beginAtZero: true, ticks: { precision: 0 } },
      y: { position: "right", grid: { display: false }, ticks: { autoSkip: false } }
    };
  }

  function cut(label) {
    return label.length > 28 ? label.slice(0, 27) + "…" : label;
  }

  var BUILDERS = {
    series: function (data) {
      var s = data.series, t = data.strings;
      return {
        type: "line",
        data: {
          labels: s.labels,
          datasets: [
            { label: t.articles, data: s.articles, borderColor: COLORS.articles, backgroundColor: "rgba(31,95,139,.12)", fill: true, tension: 0.25, pointRadius: s.labels.length > 40 ? 0 : 2 },
            { label: t.weight, data: s.weight, borderColor: COLORS.weight, backgroundColor: COLORS.weight, borderDash: [5, 4], fill: false, tension: 0.25, pointRadius: 0 }
          ]
        },
        options: { interaction: { mode: "index", intersect: false }, scales: timeScales(false) }
      };
    },
    tone: function (data) {
      var s = data.series, t = data.strings;
      return {
        type: "bar",
        data: {
          labels: s.labels,
          datasets: [
            { label: t.positive, data: s.positive, backgroundColor: COLORS.positive },
            { label: t.neutral, data: s.neutral, backgroundColor: COLORS.neutral },
            { label: t.negative, data: s.negative, backgroundColor: COLORS.negative }
          ]
        },
        options: { interaction: { mode: "index", intersect: false }, scales: timeScales(true) }
      };
    },
    outlets: function (data) {
      var o = data.outlets;
      return {
        type: "bar",
        data: { labels: o.labels.map(cut), datasets: [{ label: data.strings.articles, data: o.articles, backgroundColor: COLORS.bars }] },
        options: { indexAxis: "y", scales: barScales(), plugins: { legend: { display: false } } }
      };
    },
    offices: function (data) {
      var o = data.offices;
      return {
        type: "bar",
        data: { labels: o.labels.map(cut), datasets: [{ label: data.strings.weight, data: o.weight, backgroundColor: COLORS.weight }] },
        options: { indexAxis: "y", scales: barScales(), plugins: { legend: { display: false } } }
      };
    }
  };

  function setDefaults(Chart) {
    var font = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.family = font;
    Chart.defaults.locale = "fa-IR";
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.animation = false;
    Chart.defaults.plugins.legend.rtl = true;
    Chart.defaults.plugins.legend.textDirection = "rtl";
    Chart.defaults.plugins.legend.position = "bottom";
    Chart.defaults.plugins.tooltip.rtl = true;
    Chart.defaults.plugins.tooltip.textDirection = "rtl";
  }

  function draw() {
    var Chart = window.Chart;
    var data = payload();
    if (!Chart || !data) return;
    setDefaults(Chart);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var build = BUILDERS[canvas.getAttribute("data-chart")];
      var holder = canvas.closest(".hs-chart-canvas");
      if (!build || !holder) return;
      // Shown before drawing: Chart.js sizes the chart to its visible box. A bar
      // chart is as tall as its bars need, so two offices do not get 300px each.
      holder.hidden = false;
      var bars = data[canvas.getAttribute("data-chart")];
      if (holder.classList.contains("hs-chart-bars") && bars && bars.labels) {
        holder.style.height = Math.max(140, 34 * bars.labels.length + 50) + "px";
      }
      try {
        new Chart(canvas, build(data));
      } catch (error) {
        holder.hidden = true;
        return;
      }
      var note = canvas.getAttribute("aria-describedby");
      var target = note && document.getElementById(note);
      var details = target && target.closest("details.hs-chart-table");
      if (details) details.open = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
