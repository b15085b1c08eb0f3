// Platform Radar web page. Every string from the API is scraped from the web, so it is only ever
// inserted as text (textContent), never as HTML; word diffs arrive as runs of words that are
// wrapped in <del>/<ins> here, as text; links are shown only when they are http(s).
"use strict";

const DEFAULT_DAYS = 30;
const form = document.getElementById("filters");
const rows = document.getElementById("rows");
const more = document.getElementById("more");
const statusLine = document.getElementById("status");
const empty = document.getElementById("empty");
const detail = document.getElementById("detail");
const detailBody = document.getElementById("detail-body");
const FILTERS = { platform: "platforms", category: "category", severity: "severity", q: "words" };
const KIND_WORDS = {
  added: "Added", edited: "Edited", removed: "Removed", baseline: "Recorded on the first visit",
  backfill: "Recorded late", cosmetic: "Cosmetic edit",
};
let cursor = null;
let opener = null; // the control that opened the entry view; focus goes back to it
let loaded = 0;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function safeLink(url, label) {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return el("a", label || url, { href: u.href, rel: "noopener noreferrer", target: "_blank" });
  } catch (_) {
    return null;
  }
}

function by() {
  return form.elements.by.value || "detected";
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (String(value).trim()) params.set(key, String(value).trim());
  }
  return params;
}

function activeFilters() {
  const params = filterParams();
  return Object.keys(FILTERS).filter((k) => params.has(k)).map((k) => `${FILTERS[k]} “${params.get(k)}”`);
}

function updateExports() {
  const params = filterParams();
  params.delete("by");
  if (!params.has("since")) {
    const d = new Date(Date.now() - 90 * 864e5);
    params.set("since", d.toISOString().slice(0, 10));
  }
  for (const a of document.querySelectorAll("#exports a")) {
    const p = new URLSearchParams(params);
    p.set("format", a.dataset.format);
    a.href = "packs?" + p.toString();
  }
}

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const msg = body.message || (body.detail && JSON.stringify(body.detail)) || res.statusText;
    throw new Error(msg);
  }
  return body;
}

function rangeWords(range) {
  const which = range.by === "published" ? "published" : "detected";
  return `${which} from ${range.since} to ${range.until}`;
}

async function load(append) {
  const params = filterParams();
  params.set("view", "entries");
  params.set("by", by());
  // Detected: what Radar found as news. Published: every entry by its own date, history too.
  params.set("include_baseline", by() === "published" ? "true" : "false");
  if (!params.has("since")) params.set("days", String(DEFAULT_DAYS));
  params.set("limit", "50");
  params.set("order", "desc");
  if (append && cursor) params.set("cursor", cursor);
  statusLine.textContent = "Loading…";
  try {
    const page = await getJson("changes?" + params.toString());
    // The range the server applied (its today, its defaults): shown and editable.
    form.elements.since.value = page.range.since;
    form.elements.until.value = page.range.until;
    document.getElementById("date-head").textContent = page.range.by === "published" ? "Published" : "Detected";
    if (!append) { rows.replaceChildren(); loaded = 0; }
    for (const item of page.items) rows.appendChild(row(item, page.range.by));
    loaded += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    showEmpty(loaded === 0, page.range);
    statusLine.textContent = loaded
      ? `${loaded} entr${loaded === 1 ? "y" : "ies"} ${rangeWords(page.range)}${cursor ? " (more available)" : ""}`
      : "";
  } catch (err) {
    statusLine.textContent = "Could not load changes: " + err.message;
  }
  updateExports();
}

function showEmpty(isEmpty, range) {
  empty.hidden = !isEmpty;
  if (!isEmpty) return;
  const filters = activeFilters();
  document.getElementById("empty-why").textContent =
    `Nothing ${rangeWords(range)}` + (filters.length ? ` with ${filters.join(", ")}.` : ".");
  document.getElementById("empty-hint").textContent = range.by === "detected"
    ? "Entries Radar found on its first visit to a source are history: switch to Published to list them by their own dates."
    : "";
  const days = (Date.parse(range.until) - Date.parse(range.since)) / 864e5;
  const widen = document.getElementById("widen");
  widen.textContent = days < 365 ? "Widen to the last 12 months" : "Widen to all dates";
  widen.dataset.since = days < 365 ? isoDay(Date.parse(range.until) - 365 * 864e5) : "1900-01-01";
  document.getElementById("clear").hidden = filters.length === 0;
}

// An entry dated only by its month shows the month ("March 2025"), never a day it does not name.
function ownDate(item) {
  return item.published_precision === "month" ? item.published_label : item.date;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function row(item, dateBy) {
  const tr = el("tr", null, { "data-id": item.id });
  const when = dateBy === "published" ? ownDate(item) : (item.last_detected_at || item.detected_at).slice(0, 10);
  tr.appendChild(el("td", when, { class: "date" }));
  tr.appendChild(el("td", item.platform_name || item.platform));
  const status = el("td");
  status.appendChild(el("span", item.status, { class: "badge status-" + item.status }));
  tr.appendChild(status);
  tr.appendChild(el("td", item.severity || "", { class: "sev sev-" + (item.severity || "none") }));
  const title = el("td", null, { class: "title" });
  const open = el("button", item.title || item.summary || "(untitled)", { type: "button", class: "open-entry", "aria-haspopup": "dialog" });
  title.appendChild(open);
  // Its changes in this range (the entry view lists all of them, earlier ones too).
  if (item.history_count > 1) title.appendChild(el("span", ` ${item.history_count} changes in this range`, { class: "count" }));
  tr.appendChild(title);
  // The button takes Enter and Space itself; a click anywhere on the row opens the entry too.
  open.addEventListener("click", (e) => { e.stopPropagation(); show(item, open); });
  tr.addEventListener("click", () => show(item, open));
  return tr;
}

function diffNode(parts) {
  const p = el("p", null, { class: "diff" });
  parts.forEach((part, i) => {
    if (i) p.appendChild(document.createTextNode(" "));
    if (part.part === "same") { p.appendChild(document.createTextNode(part.text)); return; }
    const tag = part.part === "deleted" ? "del" : "ins";
    const node = el(tag);
    node.appendChild(el("span", part.part === "deleted" ? "removed: " : "added: ", { class: "sr" }));
    node.appendChild(document.createTextNode(part.text));
    p.appendChild(node);
  });
  return p;
}

function linkList(links) {
  const ul = el("ul", null, { class: "links" });
  for (const link of links) {
    const a = safeLink(link.url, link.label);
    if (a) { const li = el("li"); li.appendChild(a); ul.appendChild(li); }
  }
  return ul;
}

function historyItem(c) {
  const li = el("li");
  li.appendChild(el("p", `${c.detected_at.slice(0, 10)} · ${KIND_WORDS[c.kind] || c.kind}`, { class: "when" }));
  if (c.diff_parts && c.diff_parts.length) li.appendChild(diffNode(c.diff_parts));
  else if (c.kind !== "removed") li.appendChild(el("p", c.summary || c.title, { class: "diff" }));
  return li;
}

async function show(item, from) {
  opener = from;
  for (const r of rows.querySelectorAll("tr.open")) r.classList.remove("open");
  from.closest("tr").classList.add("open");
  const meta = [item.platform_name || item.platform, item.category_label, item.severity || "unrated", item.status, `dated ${ownDate(item)}`].filter(Boolean).join(" · ");
  const parts = [el("h2", item.title, { id: "detail-title" }), el("p", meta, { class: "muted" })];
  if (item.deadline) parts.push(el("p", `Deadline: ${item.deadline}. ${item.deadline_text || ""}`, { class: "sev-action" }));
  parts.push(el("p", item.text));
  const links = linkList(item.named_links || []);
  if (links.children.length) parts.push(el("h3", "Sources"), links);
  const history = el("ol", null, { class: "history", "aria-busy": "true" });
  parts.push(el("h3", "History, oldest first"), history);
  detailBody.replaceChildren(...parts);
  detail.dataset.id = item.id;
  if (!detail.open) detail.showModal();
  try {
    const found = await getJson("changes/" + encodeURIComponent(item.id) + "/history");
    if (detail.dataset.id !== item.id) return; // another entry was opened meanwhile
    history.replaceChildren(...found.items.map(historyItem));
  } catch (err) {
    history.replaceChildren(el("li", "Could not load the history: " + err.message));
  }
  history.removeAttribute("aria-busy");
}

async function init() {
  try {
    for (const c of await getJson("categories")) {
      form.elements.category.appendChild(el("option", c.label, { value: c.id }));
    }
  } catch (_) { /* the list still works without category names */ }
  await load(false);
}

const sentForm = document.getElementById("sent-form");
const sentRows = document.getElementById("sent-rows");
const sentStatus = document.getElementById("sent-status");
sentForm.elements.key.value = sessionStorage.getItem("radar-admin-key") || "";

async function loadSent(e) {
  e.preventDefault();
  const key = sentForm.elements.key.value.trim();
  sessionStorage.setItem("radar-admin-key", key);
  sentStatus.textContent = "Loading…";
  try {
    const res = await fetch("admin/deliveries?limit=200", { headers: { "x-radar-admin-key": key, accept: "application/json" } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || res.statusText);
    sentRows.replaceChildren();
    for (const d of body.items) {
      const tr = el("tr");
      tr.appendChild(el("td", (d.sent_at || "").replace("T", " ").slice(0, 16)));
      tr.appendChild(el("td", d.kind));
      tr.appendChild(el("td", d.period));
      tr.appendChild(el("td", d.email || "(deleted)"));
      const td = el("td");
      const a = d.online ? safeLink(d.online) : null;
      if (a) { a.textContent = "open"; td.appendChild(a); }
      tr.appendChild(td);
      sentRows.appendChild(tr);
    }
    sentStatus.textContent = body.items.length ? `${body.items.length} sent in the last 30 days` : "Nothing sent in the last 30 days.";
  } catch (err) {
    sentStatus.textContent = "Could not load sent mail: " + err.message;
  }
}

function reload() {
  cursor = null;
  load(false);
}

sentForm.addEventListener("submit", loadSent);
form.addEventListener("submit", (e) => { e.preventDefault(); reload(); });
form.addEventListener("input", updateExports);
for (const radio of form.elements.by) radio.addEventListener("change", reload);
document.getElementById("widen").addEventListener("click", (e) => {
  form.elements.since.value = e.currentTarget.dataset.since;
  reload();
});
document.getElementById("clear").addEventListener("click", () => {
  for (const name of Object.keys(FILTERS)) form.elements[name].value = "";
  reload();
});
document.getElementById("close").addEventListener("click", () => detail.close());
detail.addEventListener("click", (e) => {
  // A click on the backdrop targets the dialog itself, outside its box.
  const box = detail.getBoundingClientRect();
  const outside = e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom;
  if (e.target === detail && outside) detail.close();
});
detail.addEventListener("close", () => {
  for (const r of rows.querySelectorAll("tr.open")) r.classList.remove("open");
  if (opener && opener.isConnected) opener.focus();
});
more.addEventListener("click", () => load(true));
init();
