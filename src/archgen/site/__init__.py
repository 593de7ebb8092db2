"""The site: pages from the generators' artifacts, built with MkDocs into ``site/``."""
