// The explorer's chart (an anywidget front end). It has no imports: the build bundles it with
// Vega, Vega-Lite and Vega-Embed (vl-convert's javascript_bundle, which provides `vegaEmbed`),
// so nothing is loaded from outside the machine. Python (or the static edition) sets `spec`,
// a Vega-Lite specification; an empty one draws nothing. Drawn as SVG, without the action menu.

function render({ model, el }) {
  let finalize = null;
  const draw = async () => {
    if (finalize) { finalize(); finalize = null; }
    const spec = model.get("spec");
    el.replaceChildren();
    if (!spec || !Object.keys(spec).length) return;
    try {
      const result = await vegaEmbed(el, structuredClone(spec), { renderer: "svg", actions: false });
      finalize = result.finalize;
    } catch (error) {
      const note = document.createElement("p");
      note.className = "planlib-chart-error";
      note.textContent = "⚠ " + error.message;
      el.replaceChildren(note);
    }
  };
  model.on("change:spec", draw);
  draw();
  return () => { if (finalize) finalize(); };
}

export default { render };
