// The bar charts of the 统计 page (issue 14): one per table, drawn from the figures the page hands
// over in each chart element's data-chart attribute (JSON), since the page may run no inline script
// (CSP). The tables stay the accessible form; the chart element carries role="img" and a summary.
// esbuild bundles this file into service/web/static/build/charts.js (`make viewer`).
// Only the parts used are imported, so the bundle leaves out the rest of ECharts.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, LegendComponent, CanvasRenderer]);

// One colour per figure, told apart by the legend's words as well as by colour.
const COLOURS = { received: "#1f5fa8", finished: "#6b8fc7", on_time: "#2e7d32", late: "#c62828" };
const ROW_HEIGHT = 64; // pixels per department or flow: four thin bars and a readable name
const FRAME_HEIGHT = 90; // legend above, value axis below

// Horizontal bars: the Chinese names sit on the left and stay readable on a 375 px phone.
function optionFor(chart) {
  return {
    animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    color: chart.series.map((s) => COLOURS[s.key] || "#555"),
    legend: { top: 0, itemGap: 12, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true, // the first row of the table on top
      data: chart.names,
      axisLabel: { fontSize: 13, width: 96, overflow: "break" },
    },
    series: chart.series.map((s) => ({
      type: "bar",
      name: s.label,
      data: s.values,
      barMaxWidth: 12,
      // Zeros unlabelled: a column of "0" beside every empty row only hides the bars that matter.
      label: { show: true, position: "right", fontSize: 11, formatter: (p) => (p.value ? String(p.value) : "") },
    })),
  };
}

function draw(element) {
  const chart = JSON.parse(element.dataset.chart);
  element.style.height = `${FRAME_HEIGHT + ROW_HEIGHT * Math.max(chart.names.length, 1)}px`;
  const drawn = echarts.init(element, null, { renderer: "canvas" });
  drawn.setOption(optionFor(chart));
  window.addEventListener("resize", () => drawn.resize());
  element.dataset.drawn = "true";
}

document.querySelectorAll(".stats-chart[data-chart]").forEach(draw);
