"""archgen: architecture as code for cloud stacks.

The public face is small; everything else is private to the package.
"""

__version__ = "0.1.0"

#: The project's GitHub repository (owner/name): the Action (``uses: REPOSITORY@vX.Y.Z``)
#: and the pre-commit hook (``repo: https://github.com/REPOSITORY``) that ``archgen init``
#: writes, and the project URLs of pyproject.toml, all name it.
REPOSITORY = "archgen-dev/archgen"

#: The git tag of this release: what ``archgen init`` pins the Action and the hook to.
RELEASE_TAG = f"v{__version__}"

__all__ = ["REPOSITORY", "RELEASE_TAG", "__version__"]
