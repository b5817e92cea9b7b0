"""What the sandbox's fork server learns before it forks any child.

multiprocessing's fork server can only import modules (`set_forkserver_preload`), so the
work is done on import. A child is confined so that it may start no program (Landlock,
see sandbox.py), and the catalog check asks each language's braille table, through
liblouis's `lou_translate`, which characters it can write: that is asked here, once, and
every child inherits the answer (checks/printable.py's `warm`).
"""
from __future__ import annotations

from ..checks import printable

printable.warm()
