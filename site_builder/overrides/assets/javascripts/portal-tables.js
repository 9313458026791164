/* Where to Buy (distributors) and the Channel Inventory Report: filterable, and the report sortable.
 *
 * Both read JSON from the category folders this reader may open (portal-access.js). The report's
 * pointer, inventory/current.json, names today's version; `portal inventory publish` replaces
 * it without a rebuild, and each category's rows sit in that category's gated folder.
 */
(function () {
  "use strict";

  var access = window.PortalAccess;
  var ROWS_PER_PAGE = 100;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  function fillCategories(select, slugs, names) {
    slugs.forEach(function (slug) {
      var option = el("option", null, names[slug] || slug);
      option.value = slug;
      select.appendChild(option);
    });
  }

  function words(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function whereToBuy(root) {
    var form = root.querySelector("[data-table-form]");
    var status = root.querySelector("[data-table-status]");
    var body = root.querySelector("[data-table-body]");
    Promise.all([access.loadScoped("distributors"), access.libraryIndex()]).then(function (both) {
      var names = access.categoryNames(both[1]);
      var byId = {}, list = [], mine = [];
      both[0].forEach(function (folder) {
        if (folder.scope !== "all" && folder.scope !== "public") mine.push(folder.scope);
        folder.data.distributors.forEach(function (d) { if (!byId[d.id]) { byId[d.id] = d; list.push(d); } });
      });
      list.sort(function (a, b) { return a.name.localeCompare(b.name); });
      fillCategories(form.elements.category, mine, names);
      var wanted = new URLSearchParams(window.location.search).get("category");
      if (wanted && mine.indexOf(wanted) >= 0) form.elements.category.value = wanted;

      function render() {
        var category = form.elements.category.value, state = form.elements.state.value, q = words(form.elements.q.value);
        var shown = list.filter(function (d) {
          if (category && d.categories[0] !== "all" && d.categories.indexOf(category) < 0) return false;
          if (state && d.regions[0] !== "nationwide" && d.regions.indexOf(state) < 0) return false;
          var text = [d.name, d.notes || ""].concat(d.contacts.map(function (c) { return c.name + " " + c.email; })).join(" ").toLowerCase();
          return q.every(function (w) { return text.indexOf(w) >= 0; });
        });
        body.textContent = "";
        var table = el("table", "portal-distributors__table");
        var head = table.createTHead().insertRow();
        ["Distributor", "Categories", "Serves", "Contacts"].forEach(function (h) {
          var th = el("th", null, h); th.scope = "col"; head.appendChild(th);
        });
        var tbody = table.createTBody();
        shown.forEach(function (d) {
          var row = tbody.insertRow();
          var name = el("th"); name.scope = "row";
          name.appendChild(el("span", "portal-distributors__name", d.name));
          if (d.website) { name.appendChild(el("br")); name.appendChild(link(d.website, d.website.replace(/^https?:\/\//, "").replace(/\/$/, ""))); }
          if (d.notes) name.appendChild(el("span", "portal-distributors__notes", d.notes));
          row.appendChild(name);
          row.insertCell().textContent = d.categories[0] === "all" ? "All categories"
            : d.categories.map(function (c) { return names[c] || c; }).join(", ");
          row.insertCell().textContent = d.regions[0] === "nationwide" ? "Nationwide" : d.regions.join(", ");
          var contacts = row.insertCell();
          d.contacts.forEach(function (c) {
            var line = el("span", "portal-distributors__contact");
            line.appendChild(el("strong", null, c.name));
            line.appendChild(document.createTextNode(" (" + c.role + "): "));
            line.appendChild(link("mailto:" + c.email, c.email));
            line.appendChild(document.createTextNode(", "));
            line.appendChild(link("tel:" + c.phone.replace(/[^0-9+]/g, ""), c.phone));
            contacts.appendChild(line);
          });
        });
        if (shown.length) body.appendChild(table);
        status.textContent = list.length
          ? shown.length + " of " + list.length + " distributors."
          : "No distributors are listed for you. Sign in to see the distributors of your categories.";
      }
      form.addEventListener("input", render);
      form.addEventListener("change", render);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      render();
    });
  }

  var COLUMNS = [
    { key: "model", label: "Model" }, { key: "description", label: "Description" },
    { key: "category_name", label: "Category" }, { key: "distributor_name", label: "Distributor" },
    { key: "quantity", label: "Quantity", numeric: true },
  ];

  function inventory(root) {
    var form = root.querySelector("[data-table-form]");
    var status = root.querySelector("[data-table-status]");
    var body = root.querySelector("[data-table-body]");
    var asOf = root.querySelector("[data-inventory-as-of]");
    var sort = { key: "model", descending: false };
    var limit = ROWS_PER_PAGE;
    Promise.all([access.getJSON("inventory/current.json"), access.readableScopes()]).then(function (both) {
      var pointer = both[0], readable = both[1];
      if (!pointer) {
        asOf.textContent = "The report is not available to you right now. Sign in to see it; if you are signed in, see Service Health.";
        return null;
      }
      var names = access.categoryNames(readable.index);
      var wanted = pointer.categories.filter(function (c) { return readable.scopes.indexOf(c) >= 0; });
      return Promise.all(wanted.map(function (c) {
        return access.getJSON("library/" + c + "/inventory/" + pointer.version + ".json");
      })).then(function (parts) {
        var rows = [], mine = [];
        parts.forEach(function (part) {
          if (!part) return;
          mine.push(part.category);
          part.rows.forEach(function (r) { r.category = part.category; r.category_name = names[part.category] || part.category; rows.push(r); });
        });
        var day = new Date(pointer.as_of + "T12:00:00Z").toLocaleDateString("en-US", { weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
        var published = pointer.published_at ? " (published " + access.localTime(pointer.published_at) + ")" : "";
        asOf.textContent = "Stock as of " + day + published + ".";
        asOf.setAttribute("data-as-of", pointer.as_of);
        fillCategories(form.elements.category, mine, names);
        return rows;
      });
    }).then(function (rows) {
      if (!rows) return;
      function render() {
        var category = form.elements.category.value, q = words(form.elements.q.value), inStock = form.elements.in_stock.checked;
        var shown = rows.filter(function (r) {
          if (category && r.category !== category) return false;
          if (inStock && r.quantity < 1) return false;
          var text = (r.model + " " + r.description).toLowerCase();
          return q.every(function (w) { return text.indexOf(w) >= 0; });
        });
        var column = COLUMNS.filter(function (c) { return c.key === sort.key; })[0];
        shown.sort(function (a, b) {
          var x = a[sort.key], y = b[sort.key];
          var order = column.numeric ? x - y : String(x).localeCompare(String(y));
          return (sort.descending ? -order : order) || a.model.localeCompare(b.model);
        });
        body.textContent = "";
        var table = el("table", "portal-inventory__table");
        var head = table.createTHead().insertRow();
        COLUMNS.forEach(function (c) {
          var th = el("th"); th.scope = "col";
          if (c.numeric) th.className = "portal-number";
          th.setAttribute("aria-sort", c.key === sort.key ? (sort.descending ? "descending" : "ascending") : "none");
          var button = el("button", "portal-sort", c.label);
          button.type = "button";
          button.addEventListener("click", function () {
            sort = { key: c.key, descending: sort.key === c.key ? !sort.descending : c.numeric };
            render();
            body.querySelector('th[aria-sort]:not([aria-sort="none"]) button').focus();
          });
          th.appendChild(button);
          head.appendChild(th);
        });
        var tbody = table.createTBody();
        shown.slice(0, limit).forEach(function (r) {
          var row = tbody.insertRow();
          COLUMNS.forEach(function (c) {
            var cell = row.insertCell();
            cell.textContent = c.numeric ? r[c.key].toLocaleString("en-US") : r[c.key];
            if (c.numeric) cell.className = "portal-number";
          });
        });
        body.appendChild(table);
        if (shown.length > limit) {
          var more = el("button", "md-button", "Show " + Math.min(ROWS_PER_PAGE, shown.length - limit) + " more rows");
          more.type = "button";
          more.addEventListener("click", function () { limit += ROWS_PER_PAGE; render(); });
          body.appendChild(more);
        }
        status.textContent = "Showing " + Math.min(limit, shown.length) + " of " + shown.length + " rows" +
          (shown.length < rows.length ? " (" + rows.length + " in your report)" : "") + ".";
      }
      form.addEventListener("input", function () { limit = ROWS_PER_PAGE; render(); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      render();
    });
  }

  document.querySelectorAll("[data-where-to-buy]").forEach(whereToBuy);
  document.querySelectorAll("[data-inventory-report]").forEach(inventory);
})();
