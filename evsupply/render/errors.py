"""What the render machinery raises: one-line errors of our own, and the interruption of a render."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from typing import Any

from evsupply.errors import EvsupplyError


class RenderError(EvsupplyError, RuntimeError):
    """A render cannot run as asked (site folder, state folder, data folder, kernels); the message is one line."""


class SiteError(RenderError):
    """The site folder is not one `evsupply render` may write (a file, a foreign folder, not writable)."""


class RenderBusyError(RenderError):
    """Another render holds the site's lock."""


class KernelStartError(RenderError):
    """No kernel could be started for a report (the fork server is gone, or kernels were stopped)."""


class RenderInterrupted(KeyboardInterrupt):
    """A render stopped by Ctrl-C (SIGINT) or SIGTERM; finished reports and the index were kept.

    A KeyboardInterrupt, so code that handles Ctrl-C handles it; `signum` is the signal that stopped the
    render, `results` the reports that finished before it, `cancelled` the names of those that did not run.
    """

    def __init__(self, signum: int, results: Sequence[Any] = (), cancelled: Sequence[str] = ()) -> None:
        self.signum = signum
        self.results = list(results)
        self.cancelled = list(cancelled)
        super().__init__(self.message())

    @property
    def exit_status(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + self.signum

    def message(self) -> str:
        """One line for the terminal."""
        try:
            name = signal.Signals(self.signum).name
        except ValueError:
            name = f"signal {self.signum}"
        kept = sum(getattr(r, "status", "") == "ok" for r in self.results)
        return (
            f"render interrupted ({'Ctrl-C' if self.signum == signal.SIGINT else name}): "
            f"{kept} finished report(s) kept, {len(self.cancelled)} not rendered; "
            "no partial file was left"
        )
