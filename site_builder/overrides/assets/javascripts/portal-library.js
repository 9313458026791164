/* The Resource Finder, the program pages' extra documents and the events lists.
 *
 * Resources come as JSON per scope folder (see portal-access.js); the finder merges the folders
 * this reader may open and lists, filters and pages through them here, so no page ever carries
 * the whole library. Every text is set with textContent: nothing from data becomes HTML.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 25;
  var LATEST = 20;
  var access = window.PortalAccess;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function longDate(iso) {
    var parts = iso.split("-").map(Number);
    return new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]))
      .toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  }

  function fileSize(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1048576) return (bytes / 1024).toFixed(1).replace(/\.0$/, "") + " KB";
    return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  function resourceItem(r, typeNames) {
    var item = el("li", "portal-resource");
    item.setAttribute("data-resource-id", r.id);
    var link = el("a", "portal-resource__title", r.title);
    link.href = access.siteUrl(r.url);
    item.appendChild(link);
    var meta = [typeNames[r.type] || r.type, longDate(r.date), "version " + r.version,
      r.format + (r.size ? ", " + fileSize(r.size) : "")];
    if (r.valid_until) meta.push("valid until " + longDate(r.valid_until));
    item.appendChild(el("span", "portal-resource__meta", meta.join(" · ")));
    item.appendChild(el("span", "portal-resource__description", r.description));
    return item;
  }

  /* Every resource this reader may open, once each, with the categories they are authorized for. */
  function loadLibrary() {
    return Promise.all([access.loadScoped("resources"), access.libraryIndex()]).then(function (both) {
      var byId = {}, list = [], mine = [];
      both[0].forEach(function (folder) {
        if (folder.scope !== "public" && folder.scope !== "all") mine.push(folder.scope);
        folder.data.resources.forEach(function (r) {
          if (!byId[r.id]) { byId[r.id] = r; list.push(r); }
        });
      });
      var typeNames = {};
      both[1].types.forEach(function (t) { typeNames[t.slug] = t.name; });
      // A public file of a category the company does not sell (a sample application) is noise.
      var relevant = list.filter(function (r) {
        return !mine.length || r.categories[0] === "all" || r.categories.some(function (c) { return mine.indexOf(c) >= 0; });
      });
      return { resources: relevant, mine: mine, typeNames: typeNames, names: access.categoryNames(both[1]) };
    });
  }

  function matches(r, state) {
    if (state.type && r.type !== state.type) return false;
    if (state.category && r.categories[0] !== "all" && r.categories.indexOf(state.category) < 0) return false;
    if (!state.find) return true;
    var haystack = (r.title + " " + r.description + " " + r.version).toLowerCase();
    return state.find.toLowerCase().split(/\s+/).every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function finder(root) {
    var form = root.querySelector("[data-finder-form]");
    var status = root.querySelector("[data-finder-status]");
    var results = root.querySelector("[data-finder-results]");
    var pager = root.querySelector("[data-finder-pages]");
    var params = new URLSearchParams(window.location.search);
    var state = {
      type: params.get("type") || "", category: params.get("category") || "",
      // ?find=; an address from before it (?q=) arrives rewritten by portal-search.js, or here.
      find: params.get("find") || params.get("q") || "",
      sort: params.get("sort") === "title" ? "title" : "date", page: Math.max(1, parseInt(params.get("page"), 10) || 1),
      latest: params.get("view") === "latest",
    };
    var library = null;

    function syncForm() {
      form.querySelectorAll("input[name=type]").forEach(function (radio) { radio.checked = radio.value === state.type; });
      form.elements.category.value = state.category;
      form.elements.find.value = state.find;
      form.elements.sort.value = state.sort;
    }

    function syncUrl() {
      var next = new URLSearchParams();
      if (state.latest) next.set("view", "latest");
      ["type", "category", "find"].forEach(function (key) { if (state[key]) next.set(key, state[key]); });
      if (state.sort !== "date") next.set("sort", state.sort);
      if (state.page > 1) next.set("page", String(state.page));
      var query = next.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function render() {
      var list = library.resources.filter(function (r) { return state.latest || matches(r, state); });
      list.sort(state.sort === "title" && !state.latest
        ? function (a, b) { return a.title.localeCompare(b.title); }
        : function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : a.title.localeCompare(b.title); });
      if (state.latest) list = list.slice(0, LATEST);
      var pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages);
      var shown = list.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE);
      results.textContent = "";
      shown.forEach(function (r) { results.appendChild(resourceItem(r, library.typeNames)); });
      var what = [];
      if (state.type) what.push(library.typeNames[state.type] || state.type);
      if (state.category) what.push(library.names[state.category] || state.category);
      if (state.find) what.push("matching \u201c" + state.find + "\u201d");
      if (state.latest) status.textContent = "The " + list.length + " newest files.";
      else if (!list.length) status.textContent = "No files" + (what.length ? " for " + what.join(", ") : "") + ". Try fewer filters.";
      else status.textContent = "Files " + ((state.page - 1) * PAGE_SIZE + 1) + "\u2013" + ((state.page - 1) * PAGE_SIZE + shown.length) +
        " of " + list.length + (what.length ? " (" + what.join(", ") + ")" : "") + ".";
      pager.hidden = pages < 2;
      pager.querySelector("[data-finder-page]").textContent = "Page " + state.page + " of " + pages;
      pager.querySelector("[data-finder-prev]").disabled = state.page < 2;
      pager.querySelector("[data-finder-next]").disabled = state.page >= pages;
      syncUrl();
    }

    function readForm() {
      var checked = form.querySelector("input[name=type]:checked");
      state.type = checked ? checked.value : "";
      state.category = form.elements.category.value;
      state.find = form.elements.find.value.trim();
      state.sort = form.elements.sort.value;
      state.latest = false;
      state.page = 1;
      render();
    }

    var typing = null;
    form.addEventListener("change", readForm);
    form.addEventListener("input", function (event) {
      if (event.target.name !== "find") return;
      window.clearTimeout(typing);
      typing = window.setTimeout(readForm, 150);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); readForm(); });
    root.querySelector("[data-finder-latest]").addEventListener("click", function () {
      state = { type: "", category: "", find: "", sort: "date", page: 1, latest: true };
      syncForm();
      render();
    });
    pager.querySelector("[data-finder-prev]").addEventListener("click", function () { state.page -= 1; render(); results.focus(); });
    pager.querySelector("[data-finder-next]").addEventListener("click", function () { state.page += 1; render(); results.focus(); });
    results.setAttribute("tabindex", "-1");

    loadLibrary().then(function (loaded) {
      library = loaded;
      var select = form.elements.category;
      loaded.mine.forEach(function (slug) {
        var option = el("option", null, loaded.names[slug] || slug);
        option.value = slug;
        select.appendChild(option);
      });
      // An address may name a category or type that is not (or no longer) offered: show all instead.
      if (state.category && loaded.mine.indexOf(state.category) < 0) state.category = "";
      var offered = Array.prototype.map.call(form.querySelectorAll("input[name=type]"), function (radio) { return radio.value; });
      if (state.type && offered.indexOf(state.type) < 0) state.type = "";
      syncForm();
      render();
    });
  }

  /* A program page lists what its audience may open; add this reader's category documents. */
  function programResources(root) {
    var slug = root.getAttribute("data-program-resources");
    var list = root.querySelector("ul");
    var note = root.querySelector("[data-program-more]");
    loadLibrary().then(function (library) {
      var present = {};
      list.querySelectorAll("[data-resource-id]").forEach(function (li) { present[li.getAttribute("data-resource-id")] = true; });
      var extra = library.resources.filter(function (r) { return r.program === slug && !present[r.id]; });
      extra.sort(function (a, b) { return a.date < b.date ? 1 : -1; });
      extra.forEach(function (r) { list.appendChild(resourceItem(r, library.typeNames)); });
      if (note && library.mine.length) note.hidden = true;
    });
  }

  /* Events were split at build time; the reader's clock decides what is past now. */
  function events(root) {
    var limit = parseInt(root.getAttribute("data-limited"), 10) || 0;
    var upcoming = root.querySelector("[data-events-upcoming]");
    var past = root.querySelector("[data-events-past]");
    var now = Date.now();
    var all = Array.prototype.slice.call(root.querySelectorAll(".portal-event"));
    function start(li) { return Date.parse(li.querySelector("time").getAttribute("datetime")); }
    var later = all.filter(function (li) { return Date.parse(li.getAttribute("data-event-end")) > now; });
    var before = all.filter(function (li) { return Date.parse(li.getAttribute("data-event-end")) <= now; });
    later.sort(function (a, b) { return start(a) - start(b); });
    before.sort(function (a, b) { return start(b) - start(a); });
    [[upcoming, later], [past, before]].forEach(function (pair) {
      pair[1].forEach(function (li, i) { li.hidden = limit > 0 && i >= limit; pair[0].appendChild(li); });
    });
    root.querySelector("[data-events-upcoming-empty]").hidden = later.length > 0;
    root.querySelector("[data-events-past-empty]").hidden = before.length > 0;
  }

  document.querySelectorAll("[data-portal-finder]").forEach(finder);
  document.querySelectorAll("[data-program-dynamic]").forEach(programResources);
  document.querySelectorAll("[data-portal-events]").forEach(events);
})();
