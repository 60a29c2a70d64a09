// The static edition of the dashboard (planlib publish): the same page as the Voila dashboard,
// drawn from the JSON files of data/ with no kernel. The table and the chart are the dashboard's
// own front ends (indicator_table.js, vega_chart.js), run through a small stand-in for their
// widget model; filtering and sorting follow planlib/apps/table.py, whose rules meta.json gives.
// HTML pieces of the build (tiles, alerts, overview chart, info) are trusted output, escaped in
// Python; every other text goes in with textContent. Nothing is loaded from outside this folder.
// Every region's plan has its own pages and views (meta.regions; the home county's files sit in
// data/ itself, another region's in data/<its dir>); the city view (meta.city) is one per year.

import tableWidget from "./indicator_table.js";
import chartWidget from "./vega_chart.js";

// --- a widget model without a kernel ----------------------------------------------------------

// What a front end gets as `model`: get/set/on/off/save_changes/send, as anywidget gives them.
// `set` tells the front end's own listeners at once (as Backbone does); `save_changes` hands the
// names set since the last save to `onSave`, which plays the part of Python; `update` is how
// that side changes a value.
export function widgetModel(state, onSave = () => {}) {
  const listeners = new Map();
  const pending = new Set();
  const emit = (event, value) => [...(listeners.get(event) || [])].forEach((fn) => fn(value));
  const model = {
    get: (name) => state[name],
    set(name, value) {
      state[name] = value;
      pending.add(name);
      emit("change:" + name, value);
    },
    update(name, value) {
      if (JSON.stringify(state[name]) === JSON.stringify(value)) return;
      state[name] = value;
      emit("change:" + name, value);
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) { listeners.get(event)?.delete(fn); },
    save_changes() {
      const names = [...pending];
      pending.clear();
      if (names.length) onSave(names, model);
    },
    send(message) { emit("msg", message); },
  };
  return model;
}

// --- the table's rules (planlib/apps/table.py) ------------------------------------------------

// Strings compared as Python does: by code point.
function compare(a, b) {
  if (typeof a === "string" && typeof b === "string") {
    const x = Array.from(a, (c) => c.codePointAt(0));
    const y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

// filter_rows: the rows that pass the filters, in their order ("" means all).
export function filterRows(rows, filters, rules) {
  const wanted = [[rules.plan, filters.plan], [rules.domain, filters.domain], [rules.status, filters.status]];
  return rows.filter((row) => {
    const key = row[rules.key];
    if (wanted.some(([name, value]) => value && key[name] !== value)) return false;
    if (filters.unit && !key[rules.units].includes(filters.unit)) return false;
    return !filters.binding || key[rules.attribute] === rules.binding;
  });
}

// sort_rows: by one column's raw value; status worst first; blanks last both ways; ties in order.
export function sortRows(rows, sortKey, descending, rules) {
  const column = rules.sort_keys[sortKey] ?? rules.order;
  const byOrder = [...rows].sort((a, b) => a[rules.key][rules.order] - b[rules.key][rules.order]);
  const value = (row) => {
    const raw = row[rules.key][column];
    if (raw === undefined || raw === null) return null;
    return column === rules.status ? rules.status_order.indexOf(raw) : raw;
  };
  const present = byOrder.filter((r) => value(r) !== null);
  const blank = byOrder.filter((r) => value(r) === null);
  present.sort((a, b) => (descending ? compare(value(b), value(a)) : compare(value(a), value(b))));
  return [...present, ...blank];
}

// --- small helpers ----------------------------------------------------------------------------

const cache = new Map();
// Files of one edition carry its stamp in their URL, so a browser never mixes a cached file of an
// earlier edition published in the same folder with this one; meta.json is always revalidated.
let stamp = "";

function dataUrl(file) {
  return "data/" + file + (stamp ? "?v=" + stamp : "");
}

async function load(file) {
  if (!cache.has(file)) {
    const options = file === "meta.json" ? { cache: "no-cache" } : {};
    const request = fetch(dataUrl(file), options).then((response) => {
      if (!response.ok) throw new Error(file);
      return response.json();
    });
    cache.set(file, request);
    request.catch(() => cache.delete(file));
  }
  return cache.get(file);
}

function node(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = String(text);
  return el;
}

function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function fillSelect(select, options, value) {
  const old = value ?? select.value;
  select.replaceChildren(...options.map(([text, v]) => {
    const option = node("option", null, text);
    option.value = String(v);
    return option;
  }));
  select.value = options.some(([, v]) => String(v) === String(old)) ? String(old) : String(options[0][1]);
}

function toggle(className, choices, onPick) {
  const box = node("div", "planlib-toggle " + className);
  box.setAttribute("role", "group");
  const buttons = choices.map(([text, value]) => {
    const button = node("button", "planlib-toggle-button", text);
    button.type = "button";
    button.dataset.value = value;
    button.addEventListener("click", () => onPick(value));
    box.appendChild(button);
    return button;
  });
  box.show = (value, labels) => buttons.forEach((button, i) => {
    button.setAttribute("aria-pressed", String(button.dataset.value === value));
    if (labels) button.textContent = labels[i];
  });
  return box;
}

function labelled(className, control) {
  const wrap = node("label", "planlib-field " + className);
  wrap.append(node("span", "planlib-field-label"), control);
  wrap.caption = (text) => { wrap.firstChild.textContent = text; };
  return wrap;
}

// --- the page ---------------------------------------------------------------------------------

class EditionPage {
  constructor(root, meta) {
    this.root = root;
    this.meta = meta;
    this.rules = meta.table;
    this.regions = meta.regions;
    this.views = ["overview", ...(meta.city ? ["city"] : []), "explorer"];
    const hash = new URLSearchParams(location.hash.slice(1));
    const year = Number(hash.get("year"));
    const region = this.regions.find((r) => r.key === hash.get("region")) || this.regions[0];
    this.state = {
      lang: meta.langs.includes(hash.get("lang")) ? hash.get("lang") : meta.default_lang,
      region: region.key,
      year: region.years.includes(year) ? year : region.default_year,
      view: this.views.includes(hash.get("view")) ? hash.get("view") : "overview",
      indicator: region.indicators.includes(hash.get("id")) ? hash.get("id") : null,
      filters: { plan: "", domain: "", unit: "", status: "", binding: false },
    };
    this.build();
  }

  words() { return this.meta.labels[this.state.lang]; }

  region() { return this.regions.find((r) => r.key === this.state.region); }

  // Another region's plan: the same year if it has it (else its latest), the same indicator if in it.
  pickRegion(key) {
    const region = this.regions.find((r) => r.key === key);
    const year = region.years.includes(this.state.year) ? this.state.year : region.default_year;
    if (!region.indicators.includes(this.state.indicator)) this.state.indicator = null;
    fillSelect(this.asOf, [...region.years].reverse().map((y) => [String(y), y]), year);
    this.set({ region: key, year });
  }

  build() {
    const el = (tag, className) => node(tag, className);
    this.title = el("div", "planlib-title");
    this.lang = toggle("planlib-lang", [["中文", "zh"], ["English", "en"]], (v) => this.set({ lang: v }));
    this.lang.setAttribute("aria-label", "语言 / Language");
    const head = el("div", "planlib-row planlib-head");
    head.append(this.title, this.lang);
    this.banner = el("div", "planlib-w-banner");
    this.view = toggle("planlib-w-view", this.views.map((v) => ["", v]), (v) => this.set({ view: v }));
    this.regionPicker = el("select");
    this.regionPicker.addEventListener("change", () => this.pickRegion(this.regionPicker.value));
    this.regionField = labelled("planlib-w-region", this.regionPicker);
    this.regionField.hidden = this.regions.length < 2;  // one plan: no picker
    this.asOf = el("select");
    this.asOf.addEventListener("change", () => this.set({ year: Number(this.asOf.value) }));
    fillSelect(this.asOf, [...this.region().years].reverse().map((y) => [String(y), y]), this.state.year);
    this.asOfField = labelled("planlib-w-as-of", this.asOf);
    const controls = el("div", "planlib-row");
    controls.append(this.view, this.regionField, this.asOfField);
    this.overview = this.buildOverview();
    this.city = this.buildCity();
    this.explorer = this.buildExplorer();
    this.footer = el("footer", "planlib-edition-footer");
    this.root.replaceChildren(head, this.banner, controls, this.overview, this.city, this.explorer, this.footer);
  }

  buildCity() {
    const section = node("section", "planlib-w-city");
    this.cityHead = node("div", "planlib-city-head");
    this.cityDownload = node("div", "planlib-row planlib-city-downloads");
    this.cityBody = node("div", "planlib-city-body");
    section.append(this.cityDownload, this.cityHead, this.cityBody);
    section.hidden = true;
    return section;
  }

  buildOverview() {
    const section = node("section", "planlib-overview");
    this.alerts = node("div", "planlib-w-alerts");
    this.tiles = node("div", "planlib-w-tiles");
    this.overviewChart = node("div", "planlib-w-overview-chart");
    const glance = node("div", "planlib-row planlib-glance");
    glance.append(this.tiles, this.overviewChart);
    this.tableTitle = node("div", "planlib-table-title");
    this.filterFields = {};
    const filters = node("div", "planlib-row planlib-filters");
    for (const name of ["plan", "domain", "unit", "status"]) {
      const select = node("select");
      select.addEventListener("change", () => this.setFilter(name, select.value));
      this.filterFields[name] = labelled("planlib-w-" + name, select);
      filters.appendChild(this.filterFields[name]);
    }
    this.binding = node("input");
    this.binding.type = "checkbox";
    this.binding.addEventListener("change", () => this.setFilter("binding", this.binding.checked));
    this.bindingField = node("label", "planlib-field planlib-w-binding");
    this.bindingField.append(this.binding, node("span", "planlib-field-label"));
    filters.appendChild(this.bindingField);
    this.count = node("div", "planlib-w-count");
    this.downloads = node("span", "planlib-downloads");
    const countRow = node("div", "planlib-row");
    countRow.append(this.count, this.downloads);
    const tableBox = node("div", "planlib-w-table");
    this.table = widgetModel({ columns: [], rows: [], caption: "", sort_hint: "", sort_key: "id",
                               sort_desc: false, selected: "", select_count: 0 },
                             (names) => this.onTable(names));
    tableWidget.render({ model: this.table, el: tableBox });
    section.append(this.alerts, glance, this.tableTitle, filters, countRow, tableBox);
    return section;
  }

  buildExplorer() {
    const section = node("section", "planlib-explorer");
    this.indicator = node("select");
    this.indicator.addEventListener("change", () => this.set({ indicator: this.indicator.value }));
    this.indicatorField = labelled("planlib-explorer-indicator", this.indicator);
    const chartBox = node("div", "planlib-explorer-chart");
    this.chart = widgetModel({ spec: {} });
    chartWidget.render({ model: this.chart, el: chartBox });
    this.info = node("div", "planlib-explorer-info");
    const body = node("div", "planlib-row planlib-explorer-body");
    body.append(chartBox, this.info);
    this.chartBox = chartBox;
    this.chartDownloads = node("div", "planlib-row planlib-explorer-downloads");
    section.append(this.indicatorField, body, this.chartDownloads);
    return section;
  }

  set(change) {
    Object.assign(this.state, change);
    if (change.indicator && !("view" in change)) this.state.view = "explorer";
    this.refresh();
  }

  setFilter(name, value) {
    this.state.filters = { ...this.state.filters, [name]: value };
    this.refresh();
  }

  onTable(names) {
    if (names.includes("select_count")) {
      this.set({ indicator: this.table.get("selected"), view: "explorer" });
    } else if (names.includes("sort_key") || names.includes("sort_desc")) {
      this.refresh();
    }
  }

  async refresh() {
    const { lang, year, view } = this.state;
    const region = this.region();
    const turn = (this.turn = (this.turn || 0) + 1);
    let page;
    let city = null;
    try {
      page = await load(`${region.dir}page-${year}-${lang}.json`);
      if (view === "city" && this.meta.city.years.includes(year)) city = await load(`city-${year}-${lang}.json`);
    } catch (error) {
      return this.fail(error.message);
    }
    if (turn !== this.turn) return;  // a newer choice came meanwhile
    const words = this.words();
    document.documentElement.lang = lang === "zh" ? "zh-CN" : lang;
    document.title = page.title;
    const h1 = node("h1", null, page.title);
    this.title.replaceChildren(h1);
    this.lang.show(lang);
    this.view.show(view, this.views.map((v) => words["view_" + v]));
    this.view.setAttribute("aria-label", words.view);
    // the banner whenever the data shown are demo: the region's page, or in the city view the city's
    const demo = view === "city" ? Boolean(city && city.demo) : page.demo;
    this.banner.innerHTML = demo ? words.banner_html : "";
    this.banner.hidden = !demo;
    this.regionField.caption(words.region_picker);
    fillSelect(this.regionPicker, this.regions.map((r) => [r.labels[lang], r.key]), region.key);
    this.asOfField.caption(words.as_of);
    this.asOf.value = String(year);
    this.drawOverview(page, words);
    this.drawCity(city, words);
    this.footer.textContent = format(words.edition_footer, {
      version: this.meta.data_version, built: this.meta.built_at, published: this.meta.published_at });
    this.overview.hidden = view !== "overview";
    this.city.hidden = view !== "city";
    this.explorer.hidden = view !== "explorer";
    const where = { lang, ...(this.regions.length > 1 ? { region: region.key } : {}), year, view };
    location.replace("#" + new URLSearchParams({ ...where, ...(this.state.indicator ? { id: this.state.indicator } : {}) }));
    await this.drawExplorer(page, words, turn);
    this.root.setAttribute("aria-busy", "false");
    this.root.dataset.ready = `${region.key}-${year}-${lang}-${view}`;
  }

  // The city view of the as-of year: its heading and members (text), the build's sections (HTML
  // made and escaped by planlib.report.city) and the link to its workbook.
  drawCity(city, words) {
    const { lang, year } = this.state;
    if (!city) {
      const note = node("p", "planlib-info", words.edition_no_city);
      this.cityHead.replaceChildren(...(this.state.view === "city" ? [note] : []));
      this.cityDownload.replaceChildren();
      this.cityBody.replaceChildren();
      return;
    }
    this.cityHead.replaceChildren(node("h1", null, city.title), node("p", "planlib-city-members", city.members));
    const link = node("a", "planlib-download planlib-download-city", words.download_city_xlsx);
    link.href = dataUrl(`city-${year}-${lang}.xlsx`);
    link.download = `${words.view_city}-${year}.xlsx`;
    this.cityDownload.replaceChildren(link);
    this.cityBody.innerHTML = city.html;
  }

  drawOverview(page, words) {
    this.alerts.innerHTML = page.alerts_html;
    this.tiles.innerHTML = page.tiles_html;
    this.overviewChart.innerHTML = page.overview_html;
    this.tableTitle.replaceChildren(node("h2", null, words.table_title));
    for (const [name, field] of Object.entries(this.filterFields)) {
      field.caption(words["filter_" + name]);
      fillSelect(field.lastChild, page.filters[name], this.state.filters[name]);
      this.state.filters[name] = field.lastChild.value;
    }
    this.bindingField.lastChild.textContent = words.binding_only;
    this.binding.checked = this.state.filters.binding;
    const t = this.table;
    const shown = sortRows(filterRows(page.rows, this.state.filters, this.rules), t.get("sort_key"),
                           t.get("sort_desc"), this.rules);
    this.count.textContent = format(words.showing, { n: shown.length, total: page.rows.length });
    this.downloads.replaceChildren(...[["download_csv", "csv"], ["download_xlsx", "xlsx"]]
      .filter(([key]) => words[key]).map(([key, ext]) => {
        const link = node("a", "planlib-download", words[key]);
        link.href = dataUrl(`${this.region().dir}indicators-${page.year}-${page.lang}.${ext}`);
        link.download = `indicators-${page.year}-${page.lang}.${ext}`;
        return link;
      }));
    t.update("sort_hint", words.table_hint);
    t.update("caption", words.table_hint);
    t.update("columns", page.columns);
    t.update("rows", shown.map(({ [this.rules.key]: _key, ...cells }) => cells));
    t.update("selected", this.state.indicator || "");
  }

  async drawExplorer(page, words, turn) {
    const { lang, year } = this.state;
    const dir = this.region().dir;
    const id = this.state.indicator || page.first_alert || this.region().indicators[0];
    this.indicatorField.caption(words.indicator);
    fillSelect(this.indicator, page.indicators, id);
    if (this.state.view !== "explorer") return;  // as the dashboard: no chart drawn while hidden
    let view = null;
    try {
      view = await load(`${dir}view/${id}-${year}-${lang}.json`);
    } catch (error) {
      view = null;
    }
    if (turn !== this.turn) return;
    if (!view) {
      this.chartDownloads.replaceChildren();
      this.chart.update("spec", {});
      this.info.replaceChildren(node("p", "planlib-info", words.edition_no_view));
      return;
    }
    this.chart.update("spec", view.spec);
    this.info.innerHTML = view.info_html;
    this.drawChartDownloads(`${id}-${year}`, `${dir}view/${id}-${year}-${lang}.csv`, words);
  }

  // The chart as drawn (SVG, saved from the page) and the numbers behind it (CSV, made by publish).
  drawChartDownloads(stem, csvFile, words) {
    const svg = node("button", "planlib-download planlib-download-svg", words.download_svg);
    svg.type = "button";
    svg.addEventListener("click", () => {
      const drawn = this.chartBox.querySelector("svg");
      if (!drawn) return;
      const text = new XMLSerializer().serializeToString(drawn);
      const link = node("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
      link.download = `${stem}-auto.svg`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
    const data = node("a", "planlib-download planlib-download-data", words.download_data);
    data.href = dataUrl(csvFile);
    data.download = `${stem}-data.csv`;
    this.chartDownloads.replaceChildren(svg, data);
  }

  fail(file) {
    const words = this.words();
    const note = node("p", "planlib-edition-error", format(words.edition_load_failed, { file }));
    note.setAttribute("role", "alert");
    this.root.prepend(note);
    this.root.setAttribute("aria-busy", "false");
  }
}

async function start() {
  const root = document.getElementById("planlib-edition");
  let meta;
  try {
    meta = await load("meta.json");
  } catch (error) {
    const status = root.querySelector(".planlib-edition-status");
    status.textContent = "⚠ data/meta.json";
    status.setAttribute("role", "alert");
    return;
  }
  stamp = encodeURIComponent(`${meta.data_version}-${meta.published_at}`);
  const page = new EditionPage(root, meta);
  window.planlibEdition = page;
  await page.refresh();
}

start();
