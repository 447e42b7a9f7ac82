"""F19: under `--quiet`, a cell timeout no longer prints asyncio's "Task was destroyed but it is pending!" and a
task repr to the terminal: the render gives asyncio's logger a handler (a caller's own logging still gets it)."""

from __future__ import annotations

import subprocess
import sys


def test_asyncio_noise_does_not_reach_the_terminal() -> None:
    code = (
        "import logging, evsupply.render.runner\n"
        "logging.getLogger('asyncio').error('Task was destroyed but it is pending! task: <Task pending>')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""
