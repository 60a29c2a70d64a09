// A download button that asks the kernel for the file only when pressed (anywidget front end).
// Pressing it increments `request`; Python answers with `payload` (base64) and increments `ready`;
// the file is then saved from a blob: URL made in the page, so nothing travels beyond the kernel.
// While a file takes long (a report), Python sets `note`, shown beside the button.

function save(model) {
  const bytes = Uint8Array.from(atob(model.get("payload")), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: model.get("mime") }));
  const link = document.createElement("a");
  link.href = url;
  link.download = model.get("filename");
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "planlib-download";
  const label = () => { button.textContent = "⤓ " + model.get("label"); };
  label();
  button.addEventListener("click", () => {
    model.set("request", (model.get("request") || 0) + 1);
    model.save_changes();
  });
  const note = document.createElement("span");
  note.className = "planlib-download-note";
  note.setAttribute("role", "status");
  const showNote = () => { note.textContent = model.get("note") || ""; };
  showNote();
  model.on("change:label", label);
  model.on("change:note", showNote);
  model.on("change:ready", () => save(model));
  el.append(button, note);
}

export default { render };
