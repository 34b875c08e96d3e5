// The case page's diagram: fetch the XML and the steps to mark, draw them with the bpmn-js viewer
// (build/viewer.js), and mark finished, current and overdue steps. The page works without it.
(function () {
  "use strict";
  // 放大 / 缩小 / 适应窗口 above the drawing; the drawing can also be dragged to move it.
  function addZoomButtons(box) {
    const bar = document.createElement("div");
    bar.className = "diagram-zoom";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "流程图缩放");
    [["放大", function () { window.zoomDiagram(1); }],
     ["缩小", function () { window.zoomDiagram(-1); }],
     ["适应窗口", function () { window.fitDiagram(); }]].forEach(function (item) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary small";
      button.textContent = item[0];
      button.addEventListener("click", item[1]);
      bar.appendChild(button);
    });
    box.parentNode.insertBefore(bar, box);
  }
  const box = document.getElementById("case-diagram");
  if (!box || typeof window.showDiagram !== "function") {
    return;
  }
  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("diagram " + response.status);
      }
      return response.json();
    })
    .then(async function (marks) {
      await window.showDiagram(marks.xml, "case-diagram");
      window.markDiagram({
        "step-finished": marks.finished,
        "step-current": marks.current,
        "step-overdue": marks.overdue,
      });
      box.classList.add("drawn");
      window.fitDiagram();
      addZoomButtons(box);
    })
    .catch(function () {
      const note = box.querySelector(".diagram-fallback");
      if (note) {
        note.textContent = "流程图暂时无法显示；本页其余内容不受影响。";
      }
    });
})();
