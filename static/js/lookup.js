// Search-as-you-type for record choices (tandem/core/lookups.py). Progressive enhancement:
// without this file the field is a short select plus a search box the server answers.
// With it, the search box becomes an ARIA 1.2 combobox (list autocomplete) over the field's
// endpoint, and the select (still what the form sends) is hidden.
(function () {
  "use strict";
  if (window.tandemLookup) { return; }
  window.tandemLookup = true;
  var DELAY = 200;

  function text(root, key, value) {
    var template = root.getAttribute("data-lookup-" + key) || "";
    return template.replace("%s", value === undefined ? "" : value);
  }

  function enhance(root) {
    if (root.getAttribute("data-lookup-ready")) { return; }
    root.setAttribute("data-lookup-ready", "1");
    var select = root.querySelector("select");
    var input = root.querySelector("input[type=search]");
    if (!select || !input) { return; }
    var url = root.getAttribute("data-lookup-url");
    var min = parseInt(root.getAttribute("data-lookup-min") || "2", 10);
    var multiple = root.hasAttribute("data-lookup-multiple");
    var listId = select.id + "__listbox";
    var timer = null;
    var sequence = 0;
    var active = -1;

    root.classList.add("lookup-enhanced");
    select.hidden = true;
    select.tabIndex = -1;
    var go = root.querySelector(".lookup-go");
    if (go) { go.hidden = true; }
    var hint = root.querySelector(".lookup-hint");
    if (hint && root.getAttribute("data-lookup-hint")) { hint.textContent = root.getAttribute("data-lookup-hint"); }
    // The field's own label names the combobox; the search box's label becomes redundant.
    var label = document.querySelector("label[for='" + select.id + "']");
    var own = root.querySelector("label[for='" + input.id + "']");
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) { label.id = select.id + "__label"; }
      if (own) { own.parentNode.removeChild(own); }
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "lookup-listbox";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-labelledby", label.id); }
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    root.appendChild(status);
    var chosen = null;
    if (multiple) {
      chosen = document.createElement("ul");
      chosen.className = "lookup-chosen";
      chosen.setAttribute("aria-label", text(root, "chosen"));
      root.insertBefore(chosen, root.firstChild);
    }

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled])")); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function renderChosen() {
      if (!chosen) { return; }
      chosen.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) { return; }
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button-secondary button-small";
        remove.textContent = text(root, "remove-short");
        remove.setAttribute("aria-label", text(root, "remove", option.textContent));
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChosen();
          status.textContent = text(root, "removed", option.textContent);
          input.focus();
        });
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function choose(item) {
      var value = item.getAttribute("data-value");
      var name = item.textContent;
      var option = Array.prototype.filter.call(select.options, function (o) { return o.value === value; })[0];
      if (!option) {
        option = document.createElement("option");
        option.value = value;
        option.textContent = name;
        select.appendChild(option);
      }
      option.selected = true;
      if (multiple) {
        input.value = "";
        renderChosen();
        status.textContent = text(root, "added", name);
      } else {
        select.value = value;
        input.value = name;
        status.textContent = text(root, "picked", name);
      }
      close();
    }

    function show(data) {
      list.textContent = "";
      (data.results || []).forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", result.value);
        item.textContent = result.label;
        list.appendChild(item);
      });
      var note = null;
      if (!data.results || !data.results.length) { note = text(root, "none"); }
      else if (data.more) { note = text(root, "more"); }
      if (note) {
        var extra = document.createElement("li");
        extra.setAttribute("role", "option");
        extra.setAttribute("aria-disabled", "true");
        extra.className = "lookup-note";
        extra.textContent = note;
        list.appendChild(extra);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      status.textContent = text(root, "count", String((data.results || []).length)) + (data.more ? " " + text(root, "more") : "");
    }

    function ask() {
      var term = input.value.trim();
      if (term.length < min) { close(); status.textContent = text(root, "short"); return; }
      var mine = ++sequence;
      var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "format=json&q=" + encodeURIComponent(term);
      root.classList.add("lookup-busy");
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === sequence) { show(data); } })
        .catch(function () { if (mine === sequence) { show({ results: [] }); } })
        .then(function () { if (mine === sequence) { root.classList.remove("lookup-busy"); } });
    }

    if (!multiple && select.value) {
      input.value = select.options[select.selectedIndex].textContent;
    }
    renderChosen();

    input.addEventListener("input", function () {
      if (!multiple && select.value) { select.value = ""; }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { ask(); } else { highlight(active + 1); }
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); highlight(active - 1); }
      } else if (event.key === "Enter") {
        if (open) { event.preventDefault(); if (active >= 0) { choose(options()[active]); } }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
        else if (!multiple) { input.value = ""; select.value = ""; }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item && !item.hasAttribute("aria-disabled")) { choose(item); input.focus(); }
    });
  }

  function scan(scope) {
    if (!scope || !scope.querySelectorAll) { return; }
    if (scope.matches && scope.matches(".lookup")) { enhance(scope); }
    Array.prototype.forEach.call(scope.querySelectorAll(".lookup"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
