"""MkDocs plugin that turns the content data under ``content/`` into the portal's pages."""
