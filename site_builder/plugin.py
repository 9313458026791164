"""The ``portal`` MkDocs plugin: validated content data in, generated pages and forms out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from portal.catalog import Catalog, ContentError, load_catalog

from site_builder.access import PUBLIC, AccessMap, AccessRuleError, parse_rule
from site_builder.applications import ApplicationPages, load_questions
from site_builder.config import PortalConfig
from site_builder.forms import place_forms
from site_builder.library_build import LibraryBuild
from site_builder.scripts import GLOBAL, missing, scripts_for

log = get_plugin_logger(__name__)
TEMPLATES = Path(__file__).parent / "templates"


class PortalPlugin(BasePlugin[PortalConfig]):
    """Loads content data, generates category pages and renders page templates."""

    catalog: Catalog

    def on_config(self, config: Any) -> Any:
        content_dir = Path(config.config_file_path).parent / self.config.content_dir
        try:
            self.catalog = load_catalog(content_dir)
            self.library = LibraryBuild.load(content_dir, self.catalog, config)
            questions = load_questions(content_dir, self.catalog)
        except ContentError as e:
            raise PluginError(f"Content data is not valid, so the site was not built.\n{e}") from e
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(["html"]),
            keep_trailing_newline=True,
        )
        self.application_pages = ApplicationPages(self.templates, self.catalog, questions)
        # Pages are Markdown, not HTML, and their variables come from validated content data
        # that editors commit, never from visitors: HTML escaping would only mangle them.
        self.page_templates = jinja2.Environment(  # noqa: S701
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True
        )
        self.access_map = AccessMap()
        # The theme's own files (CSS, scripts, icons) and the error page open for everyone.
        self.access_map.set_prefix("/assets/", PUBLIC)
        self.access_map.set("/404.html", PUBLIC)
        self.library.register_access(self.access_map)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        template = self.templates.get_template("category.md.j2")
        for category in self.catalog.categories:
            src_uri = f"{self.config.products_dir}/{category.slug}.md"
            if files.get_file_from_path(src_uri):
                raise PluginError(f"{src_uri} is generated from categories.yml; remove the file from content/pages.")
            page = File.generated(
                config,
                src_uri,
                content=template.render(category=category, catalog=self.catalog),
                # Reached from the Product Range Overview page; listing them in the nav would make
                # every page carry every category.
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
            page.generated_by = "portal"
            files.append(page)
        return self.library.add_files(files, config)

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        """Render the page as a Jinja2 template so pages can say ``{{ contacts.reseller_support.email }}``."""
        source = page.file.src_uri
        try:
            rendered = self.page_templates.from_string(markdown).render(
                contacts=self.catalog.contacts,
                categories=self.catalog.categories,
                config=config,
                page=page,
            )
        except jinja2.TemplateError as e:
            line = getattr(e, "lineno", None)
            where = f"{source}" + (f", line {line}" if line else "")
            raise PluginError(f"{where}: {e.message if hasattr(e, 'message') else e}") from e
        self._register_access(page)
        try:
            rendered = place_forms(rendered, self.templates, self.catalog)
            rendered = self.application_pages.render(rendered)
        except KeyError as e:
            raise PluginError(f"{source}: {e.args[0]}") from e
        return self.library.render_widgets(rendered, page)

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        # Templates that are not pages (the 404 page) load the scripts every page loads.
        env.globals["portal_scripts"] = GLOBAL
        return env

    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
        """The scripts this page loads (``main.html``): the global ones and those whose hooks it has."""
        context["portal_scripts"] = scripts_for(page.content or "")
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Refuse a page with a script's hook (also one from the theme) that does not load the script."""
        problems = missing(output)
        if problems:
            raise PluginError(
                f"{page.file.src_uri}: the page does not load {'; '.join(problems)}. "
                "Declare the script's hooks in site_builder/scripts.py."
            )
        return output

    def _register_access(self, page: Any) -> None:
        """Record the page's ``access`` front matter in the access map."""
        try:
            rule = parse_rule(page.meta.get("access"), {c.slug for c in self.catalog.categories})
        except AccessRuleError as e:
            raise PluginError(f"{page.file.src_uri}: {e}") from e
        self.access_map.set("/" + page.url, rule)

    def on_post_build(self, config: Any) -> None:
        self.access_map.write(Path(config.site_dir))
