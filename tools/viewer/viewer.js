// The read-only bpmn-js viewer the diagram pictures are drawn with (scripts/render_diagrams.py).
// esbuild bundles this file into service/web/static/build/viewer.js (`make viewer`).
// NavigatedViewer: the read-only viewer plus dragging to move and Ctrl + wheel to zoom (the case page
// shows diagrams too large to read at fit size).
import Viewer from "bpmn-js/lib/NavigatedViewer";

let viewer = null;

// Draw `xml` in the element with id `containerId`; resolves to the drawing's bounds in diagram
// pixels and the importer's warnings.
window.showDiagram = async function showDiagram(xml, containerId) {
  viewer = new Viewer({ container: document.getElementById(containerId) });
  const { warnings } = await viewer.importXML(xml);
  const inner = viewer.get("canvas").viewbox().inner;
  return {
    warnings: warnings.map((w) => String(w.message || w)),
    width: inner.width,
    height: inner.height,
  };
};

// Zoom so that the whole drawing fits the page, centred (call once the page has its final size).
window.fitDiagram = function fitDiagram() {
  const canvas = viewer.get("canvas");
  canvas.resized();
  canvas.zoom("fit-viewport", "auto");
};

// Mark elements of the drawn diagram: {className: [element ids]} (the case page's finished,
// current and overdue steps); ids the drawing does not have are passed over.
window.markDiagram = function markDiagram(marks) {
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  for (const [className, ids] of Object.entries(marks)) {
    for (const id of ids || []) {
      if (registry.get(id)) {
        canvas.addMarker(id, className);
      }
    }
  }
};

// Zoom in (step > 0) or out (step < 0) about the centre of the view, within readable bounds.
window.zoomDiagram = function zoomDiagram(step) {
  const canvas = viewer.get("canvas");
  const next = Math.min(4, Math.max(0.2, canvas.zoom() * (step > 0 ? 1.25 : 0.8)));
  canvas.zoom(next, "auto");
};
