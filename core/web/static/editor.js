// The quote and invoice editor, improved when scripts run (the form works without):
// - "Add a line" adds a row in place instead of showing the form again;
// - each row gets a button that removes it;
// - the client search box narrows the client list as one types;
// - the totals are shown as one types. They are for display only: the server
//   computes the document's figures (and the VAT the country applies to the client).
(function () {
  "use strict";
  const form = document.getElementById("document-editor");
  if (!form) return;
  const body = form.querySelector("#editor-lines tbody");
  const lang = form.dataset.lang || document.documentElement.lang || "en";
  const money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // --- amounts in cents (integers), so the display does not drift --------------------
  function number(text) {
    const raw = String(text || "").replace(/\s/g, "").replace(",", ".");
    if (raw === "") return 0;
    const value = Number(raw);
    return Number.isFinite(value) ? value : NaN;
  }
  function cents(value) {
    return Math.round(value * 100);
  }
  // A discount box: "10 %" is a percentage of base, "25" an amount; returns cents off.
  function discountOff(text, base) {
    const raw = String(text || "").replace(/\s/g, "").replace(",", ".");
    if (raw === "") return 0;
    if (raw.endsWith("%")) {
      const percent = Number(raw.slice(0, -1));
      return Number.isFinite(percent) ? Math.round((base * percent) / 100) : NaN;
    }
    const amount = Number(raw);
    return Number.isFinite(amount) ? cents(amount) : NaN;
  }

  function field(row, name) {
    return row.querySelector(`[name^="${name}_"]`);
  }

  function recompute() {
    const perRate = new Map();
    let net = 0;
    let valid = true;
    for (const row of body.querySelectorAll("tr[data-row]")) {
      const out = row.querySelector(".line-net");
      const description = field(row, "description").value.trim();
      const priceText = field(row, "unit_price").value.trim();
      if (!description && !priceText) {
        out.value = "";
        continue;
      }
      const gross = cents(number(field(row, "quantity").value) * number(priceText));
      const line = gross - discountOff(field(row, "discount").value, gross);
      if (!Number.isFinite(line)) {
        out.value = "";
        valid = false;
        continue;
      }
      out.value = money.format(line / 100);
      const option = field(row, "rate").selectedOptions[0];
      const rate = option ? Number(option.dataset.rate || 0) : 0;
      perRate.set(rate, (perRate.get(rate) || 0) + line);
      net += line;
    }
    const off = discountOff(form.querySelector('[name="discount"]').value, net);
    let vat = 0;
    for (const [rate, base] of perRate) {
      const share = net ? base - Math.round((off * base) / net) : 0;
      vat += Math.round(share * rate);
    }
    const totals = document.getElementById("editor-totals");
    totals.hidden = false;
    const shown = valid && Number.isFinite(off);
    const after = net - off;
    document.getElementById("total-net").textContent = shown ? money.format(after / 100) : "…";
    document.getElementById("total-vat").textContent = shown ? money.format(vat / 100) : "…";
    document.getElementById("total-gross").textContent = shown ? money.format((after + vat) / 100) : "…";
  }

  // --- rows -------------------------------------------------------------------------
  function renumber(row, index) {
    row.dataset.row = String(index);
    for (const input of row.querySelectorAll("[name]")) {
      input.name = input.name.replace(/_\d+$/, `_${index}`);
    }
    for (const labelled of row.querySelectorAll("[aria-label]")) {
      labelled.setAttribute("aria-label", labelled.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
    }
  }

  function nextIndex() {
    let highest = -1;
    for (const row of body.querySelectorAll("tr[data-row]")) {
      highest = Math.max(highest, Number(row.dataset.row));
    }
    return highest + 1;
  }

  function addRow() {
    const rows = body.querySelectorAll("tr[data-row]");
    const last = rows[rows.length - 1];
    const row = last.cloneNode(true);
    renumber(row, nextIndex());
    for (const input of row.querySelectorAll("input")) {
      input.value = input.name.startsWith("quantity_") ? "1" : "";
    }
    for (const select of row.querySelectorAll("select")) select.selectedIndex = 0;
    row.querySelector(".line-net").value = "";
    body.appendChild(row);
    row.querySelector('[name^="description_"]').focus();
    recompute();
  }

  function removeRow(row) {
    if (body.querySelectorAll("tr[data-row]").length > 1) {
      row.remove();
    } else {
      for (const input of row.querySelectorAll("input")) {
        input.value = input.name.startsWith("quantity_") ? "1" : "";
      }
    }
    recompute();
  }

  for (const button of form.querySelectorAll(".remove-line")) button.hidden = false;
  const adder = form.querySelector("#add-line");
  // A plain button now: Enter in a field submits with the main button, as people expect.
  adder.type = "button";
  adder.addEventListener("click", (event) => {
    event.preventDefault();
    addRow();
  });
  body.addEventListener("click", (event) => {
    const button = event.target.closest(".remove-line");
    if (button) removeRow(button.closest("tr"));
  });
  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);

  // --- the client search ------------------------------------------------------------
  const search = document.getElementById("client-search");
  const select = document.getElementById("client");
  const count = document.getElementById("client-count");
  if (search && select) {
    search.addEventListener("input", () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      const matching = [];
      for (const option of select.options) {
        if (!option.value) continue;
        const text = option.textContent.toLowerCase();
        const match = words.every((word) => text.includes(word));
        option.hidden = !match;
        option.disabled = !match;
        if (match) matching.push(option);
      }
      for (const group of select.querySelectorAll("optgroup")) {
        group.hidden = !group.querySelector("option:not([hidden])");
      }
      if (matching.length === 1) {
        select.value = matching[0].value;
      } else if (select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = "";
      }
      count.textContent = words.length ? `(${matching.length})` : "";
    });
  }
  recompute();
})();
