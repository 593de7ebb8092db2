"""``archgen build``: load, check, generate, and publish the MkDocs Material site.

The site is built aside (a staging folder under ``.archgen/``) and swapped into
``site/`` only when MkDocs succeeded, so a failed build leaves the previous site
byte-for-byte as it was. Hand-written pages in the user's ``docs_dir`` are copied
in and never overwritten by generated ones.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from archgen.errors import ArchgenError, UsageError
from archgen.rendering.textutil import plain
from archgen.site.pages import ModelBundle

from archgen.writer import STATE_DIR  # noqa: E402 - the repository's state folder
DEFAULT_CONFIG: dict[str, Any] = {
    "theme": {
        "name": "material",
        "features": ["navigation.sections", "navigation.top", "content.code.copy", "search.highlight"],
        "palette": {"primary": "indigo"},
    },
    "markdown_extensions": [
        "admonition",
        "attr_list",
        "tables",
        "pymdownx.details",
        {"pymdownx.highlight": {"anchor_linenums": False}},
        "pymdownx.superfences",
        {"toc": {"permalink": True}},
    ],
    "plugins": ["search"],
}


class BuildError(ArchgenError):
    """The site could not be built (MkDocs failed); the previous site is kept."""


@dataclass
class BuildResult:
    """What a build did. ``bundles`` keep each model, its findings and views; their
    generated files (images, Terraform, drafts) are released once written (see
    :func:`_release`)."""

    site_dir: Path
    bundles: list[ModelBundle]
    pages: int
    seconds: float
    #: the site was left as it was: it had been built from the very same pages (see _stamp)
    unchanged: bool = False
    timings: dict[str, float] = field(default_factory=dict)


class _Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()
        self.timings: dict[str, float] = {}
        self._last = self.start
        self._step = ""

    def step(self, text: str) -> None:
        now = time.perf_counter()
        if self._step:
            self.timings[self._step] = now - self._last
        self._last, self._step = now, text
        if text and not self.quiet:
            print(f"archgen: {text} ({now - self.start:.1f}s)", file=sys.stderr, flush=True)

    def done(self) -> float:
        self.step("")
        return time.perf_counter() - self.start


def generate_bundles(models: list[Any], decisions: list[Any], root: Path, progress: _Progress, jobs: int | None = None) -> list[ModelBundle]:
    from archgen.generators import draw
    from archgen.generators import views
    from archgen.rules import run_rules

    bundles: list[ModelBundle] = []
    parts: list[tuple[Any, list[Any], list[Any], dict[str, Any]]] = []
    # Graphviz lays the views out in background processes while the comparison,
    # Terraform and decision drafts are written here; the images are taken at the end.
    renderings: list[draw.Rendering] = []
    layouts: list[draw.Rendering | None] = []
    pool = draw.dot_pool(jobs)  # shared: `jobs` dot processes at a time over all models
    try:
        for model in models:
            progress.step(f"checking {model.name}")
            findings = run_rules(model, decisions, models=models)
            progress.step(f"drawing {model.name}")
            specs: list[Any] = []
            renderings.append(draw.start_render(_kept(views.iter_views(model, findings), specs), formats=("svg",), cache_dir=root / STATE_DIR / "cache" / "diagrams", pool=pool))
            # the draw.io export's layout: Graphviz's JSON of the overview, cached like a picture
            layouts.append(
                draw.start_render([views.overview_view(model)], formats=(draw.LAYOUT_FORMAT,), cache_dir=root / STATE_DIR / "cache" / "diagrams", pool=pool)
                if len(model.components) <= views.LARGE_MODEL_COMPONENTS else None
            )
            texts = _generate_texts(model, findings, progress, decisions)
            parts.append((model, findings, specs, texts))
        progress.step("waiting for Graphviz")
        for (model, findings, specs, texts), rendering, laid in zip(parts, renderings, layouts):
            if laid is not None:
                texts["exports"].update(_drawio(model, laid.result()[f"overview.{draw.LAYOUT_FORMAT}"]))
            bundles.append(ModelBundle(model=model, findings=findings, views=specs, images=rendering.result(), **texts))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # all done, or the build failed
    return bundles


T = TypeVar("T")


def _kept(items: Iterable[T], into: list[T]) -> Iterator[T]:
    """``items``, each also appended to ``into`` as it passes."""
    for item in items:
        into.append(item)
        yield item


def _generate_texts(model: Any, findings: list[Any], progress: _Progress, decisions: list[Any] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """What a model's pages say besides its pictures: comparison, cost, Terraform, drafts
    (the :class:`ModelBundle` fields, by name)."""
    from archgen.generators import compare
    from archgen.generators import cost
    from archgen.generators import drafts
    from archgen.generators import terraform

    progress.step(f"writing Terraform for {model.name}")
    files, gaps = terraform.generate_with_gaps(model, model.provider)
    progress.step(f"comparing {model.name} across providers")
    comparison = compare.compare(model, known_gaps={model.provider: gaps})
    own = comparison.providers[model.provider] if hasattr(comparison, "providers") else None
    est = cost.estimate(model, model.provider)
    texts: dict[str, Any] = {
        "comparison_md": compare.render_markdown(comparison),
        "lockin_score": getattr(own, "lockin_score", None),
        "estimate_usd": est.total if est.priced_any else None,
        "estimate_as_of": est.as_of,
        "estimate_unpriced": est.unpriced,
    }
    texts["terraform"], texts["terraform_gaps"] = {model.provider: files}, {model.provider: [g.text for g in gaps]}
    texts["drafts"] = drafts.make_drafts(model, findings, decisions)
    progress.step(f"exporting {model.name} for other tools")
    texts["exports"] = _exports(model, findings)
    return texts


def _exports(model: Any, findings: list[Any]) -> dict[str, str]:
    """Every export of the model for its page's downloads but the draw.io file, which
    waits for its layout (:func:`_drawio`)."""
    from archgen.generators.export import export_files
    from archgen.rendering import formats

    names = tuple(f.name for f in formats.formats("export") if "layout" not in f.options)
    return export_files(model, findings, only=names)


def _drawio(model: Any, layout: bytes) -> dict[str, str]:
    """The draw.io export from the overview's cached layout (models drawn in one overview,
    at most views.LARGE_MODEL_COMPONENTS components: a larger one is no one page)."""
    from archgen.generators.export import file_name
    from archgen.rendering import formats

    return {file_name(model, f.name): formats.render("export", f.name, model, layout=layout)
            for f in formats.formats("export") if "layout" in f.options}


def _user_config(root: Path) -> tuple[Path | None, dict[str, Any]]:
    path = root / "mkdocs.yml"
    if not path.exists():
        return None, {}
    try:
        from archgen.sources.repository import mkdocs_config

        data = mkdocs_config(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise UsageError(f"{where}: mkdocs.yml is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    return path, data if isinstance(data, dict) else {}


def generated_pages(
    bundles: list[ModelBundle],
    decisions: list[Any],
    home: str = "index.md",
    home_prefix: str = "",
    gallery: list[Any] | None = None,
    directory_urls: bool = True,
) -> dict[str, bytes | str]:
    """Every page and file archgen generates for a docs folder (with ``gallery``, the
    :class:`~archgen.site.gallery.GalleryEntry` list, the gallery page too).
    ``directory_urls``: MkDocs' ``use_directory_urls``, which the diagrams' links follow."""
    from archgen.decisions import adr
    from archgen.generators import drafts
    from archgen.site import pages as site

    generated: dict[str, bytes | str] = {home: site.home_page(bundles, _site_title(bundles), prefix=home_prefix, gallery=bool(gallery))}
    links = adr.links([b.model for b in bundles], decisions)
    for b in bundles:
        generated.update(site.model_pages(b, links.get("components", {}).get(b.model.name, {}), directory_urls))
        for d in b.drafts:
            generated[f"decisions/drafts/{b.model.name}-{d.name}.md"] = drafts.render(d)
    models = [b.model for b in bundles]
    generated["decisions/index.md"] = adr.render_index(decisions, models) + site.drafts_section(bundles)
    for d, page in zip(decisions, _adr_page_names(decisions)):
        generated[page] = adr.render_page(d, models, decisions)
    generated.update(site.rule_pages())
    generated.update(site.schema_pages())
    generated[site.SITE_CSS] = site.site_css()
    if gallery:
        from archgen.site.gallery import gallery_pages

        generated.update(gallery_pages(gallery))
    return generated


def _adr_page_names(decisions: list[Any]) -> list[str]:
    return [f"decisions/{Path(d.path).stem}.md" for d in decisions]


def adr_pages(decisions: list[Any]) -> set[str]:
    """The docs-relative paths of the ADR pages: Markdown any contributor writes, whose
    HTML the site cleans (:class:`archgen.site.mkdocs_plugin.CleanPages`)."""
    return set(_adr_page_names(decisions))


def assemble_docs(
    bundles: list[ModelBundle], decisions: list[Any], user_docs: Path | None, gallery: list[Any] | None = None, directory_urls: bool = True
) -> tuple[dict[str, bytes | str], str, list[str]]:
    """All files of the docs folder: user pages first, generated pages where free."""
    files: dict[str, bytes | str] = {}
    if user_docs is not None and user_docs.is_dir():
        for p in sorted(user_docs.rglob("*")):
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(user_docs).parts):
                files[p.relative_to(user_docs).as_posix()] = p.read_bytes()
    user_urls = {_url_of(r) for r in files}
    home, prefix = ("models/index.md", "models/") if "" in user_urls else ("index.md", "")
    skipped = []
    for rel, content in generated_pages(bundles, decisions, home, prefix, gallery, directory_urls).items():
        if rel in files or _url_of(rel) in user_urls:
            skipped.append(rel)
            continue
        files[rel] = content
    return files, home, skipped


def _url_of(rel: str) -> str:
    """The URL MkDocs gives a page (use_directory_urls), to find collisions."""
    if not rel.endswith(".md"):
        return rel
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    if stem.lower() == "readme" or stem.lower().endswith("/readme"):
        return stem[: -len("readme")]
    return stem + "/"


def _site_title(bundles: list[ModelBundle]) -> str:
    if len(bundles) == 1:
        return bundles[0].model.display_name
    return "Architecture"



def _mkdocs_build(
    config_file: Path, strict: bool, verbose: bool = False, clean: set[str] = frozenset(), page_cache: tuple[Path, str] | None = None
) -> None:
    """MkDocs on ``config_file`` in this process. The HTML of the pages ``clean`` names (the
    ADR pages) is cleaned after Markdown and every plugin (see :func:`adr_pages`), also when
    it comes from the page cache; ``page_cache``: (folder, salt) of
    :mod:`archgen.site.page_cache` when the configuration names its hooks."""
    from mkdocs.commands.build import build as mk_build

    from archgen.site import page_cache as cache
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from archgen.site.mdescapes import CommonMarkEscapes
    from archgen.site.mdtables import GeneratedTables
    from archgen.site.mkdocs_plugin import CleanPages

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    echo = logging.StreamHandler(sys.stderr) if verbose else None  # -v: MkDocs' own log
    if echo is not None:
        echo.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        logger.addHandler(echo)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        cfg = load_config(config_file=str(config_file), strict=strict)
        cfg.plugins["archgen-clean-pages"] = CleanPages(clean)
        # the tables and lists of archgen's own pages through cmark-gfm (the same HTML, faster)
        cfg["markdown_extensions"].append(CommonMarkEscapes())  # \$ and \~ as on GitHub
        cfg["markdown_extensions"].append(GeneratedTables())
        cache.configure(*page_cache) if page_cache else cache.configure(None)
        mk_build(cfg)
    except (Abort, ConfigurationError, SystemExit) as exc:
        problems = "\n".join(f"  {m}" for m in handler.warnings[:30])
        raise BuildError(f"MkDocs could not build the site ({exc}); the previous site is kept\n{problems}") from None
    finally:
        cache.configure(None)
        logger.removeHandler(handler)
        if echo is not None:
            logger.removeHandler(echo)
        logger.setLevel(old_level)
        logger.propagate = True


def _page_cache_allowed(user_cfg: dict[str, Any]) -> bool:
    """Whether MkDocs may take unchanged pages from :mod:`archgen.site.page_cache`: no
    hooks of the user's and no plugin but search (another plugin may depend on each page
    being converted)."""
    plugins = user_cfg.get("plugins", ["search"])
    names = [next(iter(p)) if isinstance(p, dict) and len(p) == 1 else p for p in plugins] if isinstance(plugins, list) else [plugins]
    return "hooks" not in user_cfg and all(n in ("search", "material/search") for n in names)


def _page_salt(config: dict[str, Any], strict: bool, user_config: Path | None) -> str:
    """What every page's rendering depends on besides the page: the configuration archgen
    writes, the user's mkdocs.yml, strictness and the versions of MkDocs and its extensions."""
    from archgen.site.inputs import Digest, versions

    h = Digest()
    add = h.add
    add("archgen-page-salt 1", str(strict), yaml.safe_dump(config, sort_keys=True))
    add(user_config.read_bytes() if user_config is not None else b"")
    versions(add)
    return h.hexdigest()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings.append(record.getMessage())


def build(
    paths: list[str] | None = None,
    root: str | os.PathLike[str] = ".",
    site_dir: str | os.PathLike[str] | None = None,
    quiet: bool = False,
    strict: bool = True,
    jobs: int | None = None,
    force: bool = False,
    verbose: bool = False,
    infra_paths: Iterable[str] = (),
) -> BuildResult:
    """``infra_paths``: plans and states (``terraform show -json``) whose drift gets a page per model."""
    from archgen.sources.repository import source_folders
    from archgen.writer import checkpoint, claim, read_marker, replace_tree, staging, update_marker, write_files

    progress = _Progress(quiet)
    rootp = Path(root)
    infra_paths = tuple(infra_paths)
    infra = _read_infra(infra_paths)  # an unreadable plan stops the build before any work
    user_config_path, user_cfg = _user_config(rootp)
    target = Path(site_dir) if site_dir else rootp / str(user_cfg.get("site_dir", "site"))
    option = "--site-dir" if site_dir else ("site_dir of mkdocs.yml" if "site_dir" in user_cfg else "the site folder")
    # before any work: the site goes only where archgen may replace a folder as a whole
    claim(target, root=rootp, sources=source_folders(rootp, paths or (), in_docs=False), option=option, site=True)
    from archgen.site.inputs import fingerprint

    inputs = fingerprint(rootp, paths or (), (str(strict), str(target.resolve()), *_infra_options(infra_paths)), _project(rootp, target) if user_config_path else None)
    marker = (read_marker(target) or {}) if target.is_dir() else {}
    if not force and marker.get("inputs") == inputs:
        # built from these very inputs: check the models, keep the site
        bundles = _checked(paths, rootp, progress)
        seconds = progress.done()
        if not quiet:
            print(f"archgen: nothing changed since the last build; {target} kept ({seconds:.1f}s)", file=sys.stderr)
        pages = int(marker.get("pages", 0)) if str(marker.get("pages", "")).isdigit() else 0
        return BuildResult(site_dir=target, bundles=bundles, pages=pages, seconds=seconds, timings=progress.timings, unchanged=True)
    decisions, bundles, examples = _generate(paths, rootp, progress, jobs)
    bundles = _with_drift(bundles, infra, infra_paths, progress)
    checkpoint("build-generated")
    gallery = _gallery(examples, rootp, progress, jobs)
    progress.step("assembling pages")
    docs_name = user_cfg.get("docs_dir", "docs") if isinstance(user_cfg.get("docs_dir", "docs"), str) else "docs"
    user_docs = (rootp / docs_name) if user_config_path else (rootp / "docs" if (rootp / "docs").is_dir() else None)
    directory_urls = user_cfg.get("use_directory_urls", True) is not False
    files, home, skipped = assemble_docs(bundles, decisions, user_docs, gallery, directory_urls)
    for rel in skipped:
        if not quiet:
            print(f"archgen: kept your page for {rel}; archgen's own page there was not written", file=sys.stderr)
    state = rootp / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {}
    if user_config_path is not None:
        config["INHERIT"] = str(user_config_path.resolve())
    else:
        config.update(DEFAULT_CONFIG)
        config["site_name"] = plain(_site_title(bundles), "Architecture")
    from archgen.site.pages import GENERATED_TOP_PAGES, SITE_CSS

    if SITE_CSS in files:  # archgen's tables and diagrams fit the screen; the user's CSS comes after
        own = user_cfg.get("extra_css") if isinstance(user_cfg.get("extra_css"), list) else []
        config["extra_css"] = [SITE_CSS, *(c for c in own if c != SITE_CSS)]
    if "nav" not in user_cfg:
        from archgen.site.pages import nav

        # hand-written top-level pages, titled by their own first heading (archgen's own
        # top-level pages have their entry already: "Schema" once, not twice)
        extra = [r for r in sorted(files) if r.endswith(".md") and "/" not in r and r != home and r not in GENERATED_TOP_PAGES]
        config["nav"] = nav(bundles, home, decisions=True, gallery=bool(gallery)) + ([{"Guide": extra}] if extra else [])
    pages = sum(1 for r in files if r.endswith(".md"))
    page_cache = None
    if _page_cache_allowed(user_cfg):
        from archgen.site import _mkdocs_hooks

        config["hooks"] = [str(Path(_mkdocs_hooks.__file__).resolve())]
        page_cache = (state / "cache" / "pages", _page_salt(config, strict, user_config_path))
    stamp = _stamp(files, config, strict, target, rootp, user_config_path)
    checkpoint("build-assembled")
    # the stamp travels in the site's marker, swapped in with the site itself
    unchanged = not force and marker.get("stamp") == stamp.strip()
    if unchanged:  # nothing is staged: MkDocs would build the site that is there
        _release(files, bundles)
        update_marker(target, state, inputs=inputs, pages=str(pages))
    else:
        # the pages are staged under .archgen/, the site beside its target (one file system: the swap is renames)
        with staging(state / "stage", state) as stage, staging(target, state) as site_stage:
            write_files(stage / "docs", files, durable=False)  # discarded if the build stops
            config["docs_dir"] = str((stage / "docs").resolve())
            config["site_dir"] = str(site_stage.resolve())
            config_file = stage / "mkdocs.yml"
            write_files(stage, {"mkdocs.yml": yaml.safe_dump(config, sort_keys=True)}, durable=False)
            _release(files, bundles)
            checkpoint("build-staged")
            progress.step("building the site with MkDocs")
            _mkdocs_build(config_file, strict, verbose, clean=adr_pages(decisions) - set(skipped), page_cache=page_cache)
            checkpoint("build-built")
            progress.step("publishing")
            replace_tree(site_stage, target, state, site=True, keep_same=True, stamp=stamp.strip(), inputs=inputs, pages=str(pages))
            checkpoint("build-published")
    seconds = progress.done()
    if not quiet:
        if unchanged:
            print(f"archgen: nothing changed since the last build; {target} kept ({seconds:.1f}s)", file=sys.stderr)
        else:
            print(f"archgen: built {pages} pages for {len(bundles)} model(s) into {target} in {seconds:.1f}s", file=sys.stderr)
    return BuildResult(site_dir=target, bundles=bundles, pages=pages, seconds=seconds, timings=progress.timings, unchanged=unchanged)


def write_docs(
    paths: list[str] | None,
    out_dir: str | os.PathLike[str],
    root: str | os.PathLike[str] = ".",
    quiet: bool = False,
    jobs: int | None = None,
    infra_paths: Iterable[str] = (),
) -> int:
    """Write the generated Markdown and its assets (diagrams, schema, Terraform) into
    ``out_dir`` for another MkDocs-compatible generator (Zensical, Backstage TechDocs,
    MkDocs without the plugin); returns the number of pages.

    The folder is replaced as a whole (atomically), so pages of a renamed model do not
    linger; what archgen did not write there is kept. A folder that exists, is not empty
    and was not written by archgen is refused rather than emptied (:func:`archgen.writer.claim`).
    """
    from archgen.sources.repository import source_folders
    from archgen.writer import claim, write_tree

    rootp = Path(root)
    target = Path(out_dir)
    claim(target, root=rootp, sources=source_folders(rootp, paths or ()), option="--docs-only")
    progress = _Progress(quiet)
    infra_paths = tuple(infra_paths)
    infra = _read_infra(infra_paths)
    decisions, bundles, examples = _generate(paths, rootp, progress, jobs)
    bundles = _with_drift(bundles, infra, infra_paths, progress)
    gallery = _gallery(examples, rootp, progress, jobs)
    progress.step("writing the pages")
    files = generated_pages(bundles, decisions, gallery=gallery)
    pages = sum(1 for r in files if r.endswith(".md"))
    write_tree(target, files, rootp / STATE_DIR)
    seconds = progress.done()
    if not quiet:
        print(f"archgen: wrote {pages} pages for {len(bundles)} model(s) into {target} in {seconds:.1f}s", file=sys.stderr)
    return pages


def _generate(paths: list[str] | None, root: Path, progress: _Progress, jobs: int | None) -> tuple[list[Any], list[ModelBundle], list[Any] | None]:
    """The repository's ADRs, a bundle for each of its models (checked, drawn, compared),
    and the gallery's examples as read (None with no examples/gallery.yaml)."""
    from archgen.decisions.adr import load_decisions

    progress.step("loading models and decisions")
    models, examples = _load(paths, root)
    decisions = load_decisions(root)
    return decisions, generate_bundles(models, decisions, root, progress, jobs), examples


def _read_infra(infra_paths: tuple[str, ...]) -> Any:
    """The plans and states of ``--plan``/``--state`` read as ``archgen verify`` reads them
    (an unreadable one: a FILE error, exit 2), or None without any."""
    if not infra_paths:
        return None
    from archgen.infra import read

    return read([Path(p) for p in infra_paths])


def _infra_options(infra_paths: tuple[str, ...]) -> list[str]:
    """The plans and states as inputs of the build's fingerprint: their names and bytes' hash."""
    import hashlib

    return [f"infra {p} {hashlib.sha256(Path(p).read_bytes()).hexdigest()}" for p in infra_paths]


def _with_drift(bundles: list[ModelBundle], infra: Any, infra_paths: tuple[str, ...], progress: _Progress) -> list[ModelBundle]:
    """Each bundle with its drift findings against ``infra`` (unchanged without one)."""
    if infra is None:
        return bundles
    from archgen.drift import verify

    progress.step("holding the models against Terraform")
    found = verify([b.model for b in bundles], infra)
    return [dataclasses.replace(b, drift=drift, drift_inputs=infra_paths) for b, (_, drift) in zip(bundles, found)]


def _checked(paths: list[str] | None, root: Path, progress: _Progress) -> list[ModelBundle]:
    """The models loaded and checked, as :func:`_generate` starts, and nothing generated:
    a bundle of each model with its findings."""
    from archgen.decisions.adr import load_decisions
    from archgen.rules import run_rules

    progress.step("loading models and decisions")
    models, _ = _load(paths, root)
    decisions = load_decisions(root)
    progress.step("checking the models")
    return [ModelBundle(model=m, findings=run_rules(m, decisions, models=models)) for m in models]


def _load(paths: list[str] | None, root: Path) -> tuple[list[Any], list[Any] | None]:
    """The models of ``arch/`` (or ``paths``) and the gallery's examples, read before any
    work: the problems of all of them are reported at once."""
    from archgen.errors import ModelErrors
    from archgen.site.gallery import load_gallery
    from archgen.sources.loader import load_models

    errors: list[Any] = []
    models: list[Any] = []
    examples = None
    try:
        models = load_models(paths or (), root=root)
    except ModelErrors as exc:
        errors.extend(exc.errors)
    try:
        examples = load_gallery(root)
    except ModelErrors as exc:
        errors.extend(exc.errors)
    if errors:
        raise ModelErrors(errors)
    return models, examples


def _gallery(examples: list[Any] | None, root: Path, progress: _Progress, jobs: int | None) -> list[Any]:
    """The gallery's entries when the repository lists examples (examples/gallery.yaml)."""
    if not examples:
        return []
    from archgen.site.gallery import gallery_entries

    progress.step(f"checking and drawing the gallery ({len(examples)} examples)")
    return gallery_entries(root, examples, jobs)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _stamp(files: dict[str, bytes | str], config: dict[str, Any], strict: bool, target: Path, root: Path, user_config: Path | None) -> str:
    """A hash of everything MkDocs would build the site from: every page and file of the
    docs folder, the MkDocs configuration, ``--no-strict``, the output folder, the
    versions of archgen, MkDocs and its theme and extensions, and with a mkdocs.yml of
    the user's, the name, size and modification time of every file of the project
    (theme overrides, hooks, extra files it may name). Equal stamps: the site MkDocs
    would build is the one already there, so the rebuild is skipped."""
    from archgen.site.inputs import Digest, versions

    h = Digest()
    add = h.add
    add("archgen-site-stamp 2", str(strict), str(target.resolve()), yaml.safe_dump(config, sort_keys=True))
    versions(add)
    for rel in sorted(files):
        add(rel, files[rel])
    if user_config is not None:
        _project(root, target)(add)
    return h.hexdigest() + "\n"


def _project(root: Path, target: Path) -> Callable[[Callable[..., None]], None]:
    """What a mkdocs.yml of the user's may read besides the pages (theme overrides, hooks,
    extra files): the name, size and modification time of every file of the project,
    fed to a hash's ``add``."""
    from archgen.site.inputs import NOT_INPUTS

    def feed(add: Callable[..., None]) -> None:
        base = root.resolve()
        site = target.resolve()
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)
            dirnames[:] = sorted(
                d for d in dirnames
                if d not in NOT_INPUTS and (here / d).resolve() != site and not _output_aside(d)
            )
            for name in sorted(filenames):
                if name.startswith(".") and name.endswith(".lock"):
                    continue  # an earlier archgen's lock beside the site
                path = here / name
                try:
                    st = path.stat()
                except OSError:
                    continue
                add(path.relative_to(base).as_posix(), f"{st.st_size} {st.st_mtime_ns}")

    return feed


def _output_aside(name: str) -> bool:
    """A folder archgen builds or keeps beside an output while it swaps it in."""
    return name.startswith(".") and (".build-" in name or ".old-" in name)


def _release(files: dict[str, bytes | str], bundles: list[ModelBundle]) -> None:
    """Drop the generated files once they are in the staging folder: MkDocs reads them
    from there, and reuses the memory (5,000 components: peak 512 MB -> 389 MB)."""
    files.clear()
    for i, b in enumerate(bundles):
        bundles[i] = dataclasses.replace(b, images={}, terraform={}, drafts=[])


def clean_state(root: str | os.PathLike[str] = ".") -> None:
    shutil.rmtree(Path(root) / STATE_DIR, ignore_errors=True)
