"""Options of the ``portal`` MkDocs plugin (set under ``plugins: - portal:`` in mkdocs.yml)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PortalConfig(Config):
    # Content folder, relative to mkdocs.yml; its data/ holds categories, contacts and help topics.
    content_dir = c.Type(str, default="content")
    # Folder (inside docs_dir) where the generated product category pages go.
    products_dir = c.Type(str, default="products")
