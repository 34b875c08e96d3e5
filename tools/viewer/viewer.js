// The read-only bpmn-js viewer the diagram pictures are drawn with (scripts/render_diagrams.py).
// esbuild bundles this file into service/web/static/build/viewer.js (`make viewer`).
import Viewer from "bpmn-js/lib/Viewer";

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
