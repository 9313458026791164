/* Territory maps: "find my representative" by state, and which groups' maps this reader may open.
 *
 * Each group's territories are JSON in that category's gated folder; a group whose file the CDN
 * refuses is one the company is not authorized for, and the reader is pointed to Reseller Support
 * for it instead, as the maps page promises. The finder of the maps page also names the company's
 * own product groups that have no map yet (data-unmapped-groups), for which Reseller Support
 * finds the representative too.
 */
(function () {
  "use strict";

  var access = window.PortalAccess;
  var groups = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* A group's territories, or null when this reader may not open them. */
  function territories(slug) {
    groups[slug] = groups[slug] || access.readableScopes().then(function (readable) {
      if (readable.scopes.indexOf(slug) < 0) return null;
      return access.getJSON("library/" + slug + "/territories.json");
    });
    return groups[slug];
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  /* "text <email link> after" as a paragraph of the result. */
  function supportLine(text, email, after) {
    var p = el("p", "portal-rep-finder__other");
    p.appendChild(document.createTextNode(text));
    p.appendChild(link("mailto:" + email, email));
    p.appendChild(document.createTextNode(after));
    return p;
  }

  function listed(names) {
    return names.length < 3 ? names.join(" and ") : names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  /* What the finder says for one state. Four things are kept apart, so each sentence is true:
   * the representatives found; the maps the reader opens whose territories leave the state out;
   * the company's own product groups that have no map at all yet; the groups whose maps the
   * company is not authorized for. */
  function answer(result, state, found, uncovered, ownUnmapped, refused, email) {
    result.textContent = "";
    if (found.length) {
      result.appendChild(el("p", "portal-rep-finder__heading", "Sales representatives for " + state + ":"));
      var list = el("ul", "portal-rep-finder__list");
      found.forEach(function (entry) {
        var item = el("li", "portal-rep");
        var rep = entry.territory.representative;
        item.appendChild(el("strong", null, entry.group + ": "));
        item.appendChild(document.createTextNode(rep.name + " (" + entry.territory.name + " territory), "));
        item.appendChild(link("mailto:" + rep.email, rep.email));
        item.appendChild(document.createTextNode(", "));
        item.appendChild(link("tel:" + rep.phone.replace(/[^0-9+]/g, ""), rep.phone));
        list.appendChild(item);
      });
      result.appendChild(list);
    } else if (uncovered.length) {
      result.appendChild(el("p", "portal-rep-finder__heading", "No map you can open covers " + state + "."));
    }
    if (uncovered.length) {
      var maps = listed(uncovered) + (uncovered.length === 1 ? " map has" : " maps have");
      result.appendChild(supportLine("The " + maps + " no territory for " + state +
        "; for a sales representative there, contact Reseller Support at ", email, "."));
    }
    if (ownUnmapped.length) {
      result.appendChild(supportLine((ownUnmapped.length === 1
        ? ownUnmapped[0] + ", one of your company's product groups, has"
        : "Your company's product groups " + listed(ownUnmapped) + " have") +
        " no territory map yet. For a sales representative in " + state + ", contact Reseller Support at ", email, "."));
    }
    if (refused.length) {
      result.appendChild(supportLine("For " + refused.join(", ") +
        ", your company is not authorized; contact Reseller Support at ", email, " for the sales representative."));
    }
  }

  function repFinder(root) {
    var slugs = root.getAttribute("data-rep-finder").split(/\s+/).filter(Boolean);
    var select = root.querySelector("select[name=state]");
    var result = root.querySelector("[data-rep-finder-result]");
    var email = root.getAttribute("data-support-email") || "";
    var names = JSON.parse(root.getAttribute("data-group-names") || "{}");
    var unmapped = JSON.parse(root.getAttribute("data-unmapped-groups") || "{}");

    function show() {
      var code = select.value;
      document.querySelectorAll(".portal-tile").forEach(function (tile) {
        tile.classList.toggle("portal-tile--selected", tile.getAttribute("data-state") === code);
      });
      if (!code) { result.textContent = ""; return; }
      var state = select.options[select.selectedIndex].text;
      Promise.all([access.readableScopes()].concat(slugs.map(territories))).then(function (all) {
        var who = all.shift().session;
        var found = [], uncovered = [], refused = [];
        all.forEach(function (group, i) {
          if (!group) {
            refused.push(names[slugs[i]] || slugs[i]);
            return;
          }
          var territory = group.territories.filter(function (t) { return t.states.indexOf(code) >= 0; })[0];
          if (territory) found.push({ group: group.name, territory: territory });
          else uncovered.push(group.name);
        });
        // The company's categories are known only for a signed-in reseller (staff open every map).
        var own = who.state === "signed-in" && who.categories ? who.categories : [];
        var ownUnmapped = own.filter(function (slug) { return unmapped[slug]; }).map(function (slug) { return unmapped[slug]; });
        answer(result, state, found, uncovered, ownUnmapped, email ? refused : [], email);
      });
    }

    select.addEventListener("change", show);
    if (select.value) show();
  }

  /* On the maps page: link the groups this reader may open; point to Reseller Support for the rest. */
  function groupList(root) {
    root.querySelectorAll("[data-territory-group]").forEach(function (item) {
      territories(item.getAttribute("data-territory-group")).then(function (group) {
        if (group) return;
        var anchor = item.querySelector("a");
        item.insertBefore(el("span", "portal-territory-groups__name", anchor.textContent), anchor);
        anchor.remove();
        item.classList.add("portal-territory-groups__item--other");
        item.querySelector(".portal-territory-groups__other").hidden = false;
      });
    });
  }

  /* On the maps page: say plainly which of the company's own product groups have no map yet. */
  function ownUnmapped(note) {
    access.readableScopes().then(function (readable) {
      var own = readable.session.categories;
      if (readable.session.state !== "signed-in" || !own) return;
      var names = [];
      document.querySelectorAll("[data-unmapped-group]").forEach(function (span) {
        if (own.indexOf(span.getAttribute("data-unmapped-group")) >= 0) names.push(span.textContent);
      });
      if (!names.length) return;
      var email = note.getAttribute("data-support-email");
      note.textContent = "";
      note.appendChild(document.createTextNode(
        (names.length === 1 ? names[0] + ", one of your company's product groups, has" :
          "These product groups of your company have") + " no territory map yet" +
        (names.length === 1 ? "" : ": " + names.join(", ")) +
        ". For a sales representative, contact Reseller Support at "));
      note.appendChild(link("mailto:" + email, email));
      note.appendChild(document.createTextNode("."));
      note.hidden = false;
    });
  }

  document.querySelectorAll("[data-rep-finder]").forEach(repFinder);
  document.querySelectorAll("[data-territory-groups]").forEach(groupList);
  document.querySelectorAll("[data-territory-own]").forEach(ownUnmapped);
})();
