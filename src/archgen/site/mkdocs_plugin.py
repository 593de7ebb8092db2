"""An MkDocs plugin: include archgen's pages in an existing MkDocs site.

```yaml
# mkdocs.yml of an existing site
plugins:
  - search
  - archgen:
      root: .             # the architecture repository (arch/ and decisions/)
      prefix: architecture  # where archgen's pages go inside the site
```

Pages the site already has are never replaced. A model that cannot be read stops
the build with its FILE:LINE:COLUMN messages.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files


class ArchgenPluginConfig(Config):
    root = c.Type(str, default=".")
    prefix = c.Type(str, default="architecture")


class ArchgenPlugin(BasePlugin[ArchgenPluginConfig]):
    def on_files(self, files: Files, config) -> Files:  # noqa: ANN001 - MkDocs' config type
        from archgen.decisions.adr import load_decisions
        from archgen.site.build import _Progress, generate_bundles, generated_pages
        from archgen.errors import ArchgenError, ModelErrors
        from archgen.sources.loader import load_models

        root = Path(self.config.root)
        if not root.is_absolute():
            root = Path(config["config_file_path"]).parent / root
        prefix = self.config.prefix.strip("/")
        try:
            models = load_models((), root=root)
            decisions = load_decisions(root)
            bundles = generate_bundles(models, decisions, root, _Progress(quiet=True))
        except ModelErrors as exc:
            raise PluginError("archgen: the model has problems:\n" + "\n".join(str(e) for e in exc.errors)) from None
        except ArchgenError as exc:
            raise PluginError(f"archgen: {exc}") from None
        for rel, content in sorted(generated_pages(bundles, decisions).items()):
            path = f"{prefix}/{rel}" if prefix else rel
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        return files
