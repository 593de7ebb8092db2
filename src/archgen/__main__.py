import sys

from archgen import _startup

_startup.guard()

try:  # Ctrl-C while archgen starts: a message and exit 130, never a traceback
    from archgen.cli import main
except KeyboardInterrupt:
    sys.stderr.write("archgen: interrupted while starting; nothing was done\n")
    raise SystemExit(130) from None

raise SystemExit(main())
