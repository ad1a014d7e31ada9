// Draws every <div data-chart="bar|hbar|line"> from the JSON in its data-series attribute with
// ECharts (served from npm's copy, never a CDN). Each chart sits next to its table, so the
// numbers are one click away and readable without JavaScript.
(function () {
  function draw(el) {
    var spec = JSON.parse(el.dataset.series);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var horizontal = el.dataset.chart === "hbar";
    var category = { type: "category", data: spec.labels, axisLabel: { interval: 0, fontSize: 11 } };
    var line = el.dataset.chart === "line";
    var value = { type: "value", min: spec.min, inverse: !!spec.inverse, scale: line, minInterval: spec.inverse ? 1 : undefined };
    var series = spec.series.map(function (s) {
      var out = { name: s.name, type: line ? "line" : "bar", data: s.data, symbolSize: 8,
                  stack: s.stack, itemStyle: s.color ? { color: s.color } : undefined };
      if (s.mean !== undefined && s.mean !== null) {
        out.markLine = { symbol: "none", data: [{ name: "mean", [horizontal ? "xAxis" : "yAxis"]: s.mean }],
                         label: { formatter: spec.meanLabel + " {c}" } };
      }
      return out;
    });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: spec.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 90 : 40, right: 20, top: spec.series.length > 1 ? 30 : 10, bottom: 40, containLabel: !horizontal },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
