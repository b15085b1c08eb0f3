// Platform Radar web page. Every string from the API is scraped from the web, so it is only ever
// inserted as text (textContent), never as HTML; links are shown only when they are http(s).
"use strict";

const form = document.getElementById("filters");
const rows = document.getElementById("rows");
const more = document.getElementById("more");
const statusLine = document.getElementById("status");
const detail = document.getElementById("detail");
let cursor = null;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function safeLink(url) {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    const a = el("a", url, { href: u.href, rel: "noopener noreferrer", target: "_blank" });
    return a;
  } catch (_) {
    return null;
  }
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (String(value).trim()) params.set(key, String(value).trim());
  }
  return params;
}

function updateExports() {
  const params = filterParams();
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

async function load(append) {
  const params = filterParams();
  params.set("limit", "50");
  params.set("order", "desc");
  if (append && cursor) params.set("cursor", cursor);
  statusLine.textContent = "Loading…";
  try {
    const page = await getJson("changes?" + params.toString());
    if (!append) rows.replaceChildren();
    for (const c of page.items) rows.appendChild(row(c));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    const n = rows.children.length;
    statusLine.textContent = n ? `${n} change${n === 1 ? "" : "s"}${cursor ? " (more available)" : ""}` : "No changes match these filters.";
  } catch (err) {
    statusLine.textContent = "Could not load changes: " + err.message;
  }
  updateExports();
}

function row(c) {
  const tr = el("tr", null, { "data-id": c.id, tabindex: "0" });
  tr.appendChild(el("td", c.date));
  tr.appendChild(el("td", c.platform));
  tr.appendChild(el("td", c.severity || "", { class: "sev sev-" + (c.severity || "none") }));
  tr.appendChild(el("td", c.title));
  const open = () => show(c.id, tr);
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  return tr;
}

async function show(id, tr) {
  for (const r of rows.querySelectorAll("[aria-selected]")) r.removeAttribute("aria-selected");
  if (tr) tr.setAttribute("aria-selected", "true");
  try {
    const c = await getJson("changes/" + encodeURIComponent(id));
    const parts = [el("h2", c.title), el("p", `${c.platform} · ${c.category_label} · ${c.severity || "unrated"} · ${c.date}`, { class: "muted" })];
    if (c.deadline) parts.push(el("p", `Deadline: ${c.deadline}. ${c.deadline_text || ""}`, { class: "sev-action" }));
    parts.push(el("p", c.text));
    if (c.diff) parts.push(el("pre", c.diff, { class: "diff" }));
    const ul = el("ul");
    for (const url of c.links) {
      const a = safeLink(url);
      if (a) { const li = el("li"); li.appendChild(a); ul.appendChild(li); }
    }
    if (ul.children.length) parts.push(ul);
    detail.replaceChildren(...parts);
    detail.dataset.id = c.id;
  } catch (err) {
    detail.replaceChildren(el("p", "Could not open this change: " + err.message));
  }
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

sentForm.addEventListener("submit", loadSent);
form.addEventListener("submit", (e) => { e.preventDefault(); cursor = null; load(false); });
form.addEventListener("input", updateExports);
more.addEventListener("click", () => load(true));
init();
