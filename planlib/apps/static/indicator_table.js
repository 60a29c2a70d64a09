// The dashboard's indicator table (an anywidget front end; no imports, nothing loaded from outside).
// Python sends `columns` and already sorted and formatted `rows`; this draws them as an HTML table.
// Every heading and every indicator name is a <button>, so the table is usable with the keyboard
// alone: Tab to a heading and press Enter to sort by it, Tab to a name and press Enter to open it.
// Clicks only set traits (`sort_key`, `sort_desc`, `selected`, `select_count`); Python decides.

function cell(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function heading(model, col) {
  const th = cell("th");
  th.scope = "col";
  const active = model.get("sort_key") === col.key;
  const desc = model.get("sort_desc");
  if (active) th.setAttribute("aria-sort", desc ? "descending" : "ascending");
  const button = cell("button", col.label + (active ? (desc ? " ▼" : " ▲") : ""), "planlib-sort");
  button.type = "button";
  button.title = model.get("sort_hint");
  button.addEventListener("click", () => {
    model.set("sort_desc", active ? !desc : false);
    model.set("sort_key", col.key);
    model.save_changes();
  });
  th.appendChild(button);
  return th;
}

function select(model, id) {
  model.set("selected", id);
  model.set("select_count", (model.get("select_count") || 0) + 1);
  model.save_changes();
}

function row(model, columns, data) {
  const tr = cell("tr");
  tr.dataset.id = data.id;
  tr.dataset.status = data.status;
  if (data.id === model.get("selected")) tr.className = "planlib-selected";
  for (const col of columns) {
    const td = cell("td", null, "planlib-col-" + col.key);
    if (col.key === "name") {
      const button = cell("button", data.name, "planlib-open");
      button.type = "button";
      button.addEventListener("click", (event) => { event.stopPropagation(); select(model, data.id); });
      td.appendChild(button);
    } else if (col.key === "status") {
      const badge = cell("span", data.status_label, "planlib-status planlib-status-" + data.status);
      badge.style.borderColor = data.status_color;
      td.appendChild(badge);
    } else {
      td.textContent = data[col.key] ?? "";
    }
    tr.appendChild(td);
  }
  tr.addEventListener("click", () => select(model, data.id));
  return tr;
}

function draw(model, wrap) {
  const columns = model.get("columns");
  const table = cell("table", null, "planlib-table");
  const caption = cell("caption", model.get("caption"));
  const head = cell("thead");
  const headRow = cell("tr");
  for (const col of columns) headRow.appendChild(heading(model, col));
  head.appendChild(headRow);
  const body = cell("tbody");
  for (const data of model.get("rows")) body.appendChild(row(model, columns, data));
  table.append(caption, head, body);
  wrap.replaceChildren(table);
}

function render({ model, el }) {
  const wrap = cell("div", null, "planlib-table-wrap");
  wrap.tabIndex = -1;
  el.appendChild(wrap);
  const redraw = () => draw(model, wrap);
  for (const name of ["rows", "columns", "sort_key", "sort_desc", "selected", "caption"]) {
    model.on("change:" + name, redraw);
  }
  redraw();
  // Tell Python the table is on screen: the dashboard then prepares the hidden explorer chart.
  requestAnimationFrame(() => model.send({ event: "drawn" }));
}

export default { render };
