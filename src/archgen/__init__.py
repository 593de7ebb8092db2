"""archgen: architecture as code for cloud stacks.

The public face is small; everything else is private to the package.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
