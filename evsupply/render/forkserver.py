"""The zygote: a process that imports the heavy libraries once, then forks one fresh kernel per request.

Started by `evsupply.render.kernels.Zygote` as `python -m evsupply.render.forkserver`, with its standard input
one end of a socket pair whose other end only the render process holds (close-on-exec, and the render process
never forks without exec). Over it, one JSON object per line each way:

    (zygote, once the preloads are done)  {"ready": PID}
    {"op": "fork", "connection_file", "cwd", "env"}  ->  {"pid": PID} or {"error": "..."}
    {"op": "kill"}                                    ->  {"killed": [PID, ...]}   (every kernel, SIGKILL)

End of file on that socket means the render process is gone, however it ended: the zygote kills every kernel it
forked and exits. It also exits if it is re-parented (its owner died and the socket is somehow still open).
Each kernel asks Linux to kill it when the zygote dies (PR_SET_PDEATHSIG), so `kill -9` of the zygote leaves no
kernel either. The zygote never runs user code, so each forked kernel starts from the same clean state: modules
imported, nothing defined. It is single-threaded, as a process that forks must be.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import json
import os
import pkgutil
import selectors
import signal
import socket
import sys
import threading
from typing import Any

import evsupply
from evsupply.core.lazy import unloaded_set_aside

# Imported once here instead of in every kernel. nbformat (via jsonschema) is the slow one: plotly
# imports it when a figure is first shown; ipykernel.debugger (debugpy) costs every kernel 0.15 s.
# plotly.io's renderers are NOT imported here: they pick their default from the environment they are
# imported in, which must be the kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython",
    "numpy",
    "pandas",
    "nbformat",
    "plotly.graph_objects",
    "plotly.express",
    "evsupply",
)
# evsupply's own modules too (analyses, figures), so a notebook's `from evsupply.analysis.shipping.flows import ...` is
# instant; not the render machinery or the CLI, which no notebook uses.
SKIP_PREFIXES = ("evsupply.render", "evsupply.cli")
OWNER_FD = 0
POLL_S = 0.25  # how often the zygote reaps kernels and checks that its owner is still its parent

_PR_SET_PDEATHSIG = 1


def _evsupply_modules() -> list[str]:
    """Every importable evsupply submodule a notebook might use."""
    names = [m.name for m in pkgutil.walk_packages(evsupply.__path__, "evsupply.")]
    return [n for n in names if not n.startswith(SKIP_PREFIXES) and n.rsplit(".", 1)[-1] != "__main__"]


def _warm_plotly() -> None:
    """Build (never show) two small figures so plotly's lazily imported trace and layout classes are loaded."""
    import plotly.express as px
    import plotly.graph_objects as go

    px.scatter(x=[0, 1], y=[0, 1]).to_dict()
    go.Figure(go.Scattergeo(lat=[0], lon=[0])).update_geos(showcountries=True).to_dict()
    if "plotly.io._renderers" in sys.modules:  # it would fix the default renderer for a non-kernel process
        raise RuntimeError("plotly.io._renderers must not be imported in the zygote")


def preload() -> None:
    """Import what every kernel would import, validate data/ once, warm plotly; warnings go to stderr."""
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's import-time warning
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a missing optional library only costs speed
            print(f"forkserver: could not preload {name}: {exc}", file=sys.stderr)
    for name in _evsupply_modules():
        try:
            importlib.import_module(name)
        except Exception:  # a module that fails to import fails the same way, visibly, in the notebook
            sys.modules.pop(name, None)
    try:  # validate data/ once here (the verdict is kept on disk), so the kernels' evsupply.load() only reads
        evsupply.load()
    except Exception:  # invalid data fails visibly, as a DataError, in each notebook's evsupply.load()
        pass
    try:
        _warm_plotly()
    except Exception as exc:
        print(f"forkserver: could not warm plotly: {exc}", file=sys.stderr)
    try:  # every kernel looks up the machine's addresses (psutil, 0.1 s); they do not change during a render
        from jupyter_client import localinterfaces

        localinterfaces.local_ips()
    except Exception as exc:
        print(f"forkserver: could not look up local addresses: {exc}", file=sys.stderr)
    if threading.active_count() != 1:  # forking a multi-threaded process can deadlock the child
        print(f"forkserver: a preload started threads: {threading.enumerate()}", file=sys.stderr)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent (the zygote) dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the zygote's exit still kills its kernels
        pass


def _become_kernel(request: dict[str, Any], zygote_pid: int, zygote_cwd: str) -> None:
    """In the forked child: reset process state, then run an IPython kernel until it is shut down."""
    code = 1
    try:
        os.setsid()  # own process group: the provisioner signals the group, Ctrl-C in a terminal does not reach it
        _die_with_parent()
        if os.getppid() != zygote_pid:  # the zygote died before prctl took effect
            os._exit(1)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # fd 0 was the zygote's socket to its owner: the kernel must not hold it
            os.dup2(null, fd)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        gc.enable()
        os.environ["JPY_PARENT_PID"] = str(zygote_pid)  # ipykernel's own parent poller watches the zygote
        if sys.path and sys.path[0] in ("", zygote_cwd):  # as for `python -m ipykernel_launcher` run in cwd
            sys.path[0] = os.getcwd()
        if "numpy" in sys.modules:  # numpy's global generator is not reseeded by fork, unlike `random`
            sys.modules["numpy"].random.seed()
        sys.argv = [sys.argv[0], "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # ipykernel reads the __file__ of every module in sys.modules when it starts: on a lazy module of evsupply
        # (Frictionless, pyogrio, searoute) that would load the library, 0.35 s in every kernel. Set them aside.
        with unloaded_set_aside():
            app.initialize(["-f", request["connection_file"], "--HistoryManager.enabled=False"])  # as KERNEL_ARGS
        app.start()
        code = 0
    finally:
        os._exit(code)


class _Server:
    """The zygote's loop: requests from the owner, kernels forked and reaped."""

    def __init__(self, owner: socket.socket) -> None:
        self.owner = owner
        self.owner_pid = os.getppid()
        self.children: set[int] = set()
        self.buffer = b""
        self.selector = selectors.DefaultSelector()

    def reap(self) -> None:
        """Collect the exit status of every kernel that ended (until then its pid cannot be reused)."""
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.discard(pid)

    def kill_all(self) -> list[int]:
        """SIGKILL every live kernel's process group (the kernel and anything it started)."""
        self.reap()
        killed = sorted(self.children)
        for pid in killed:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        return killed

    def handle(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            op = request.get("op")
        except (ValueError, AttributeError):
            return {"error": "bad request"}
        if op == "kill":
            return {"killed": self.kill_all()}
        if op != "fork" or not {"connection_file", "cwd", "env"} <= set(request):
            return {"error": f"bad request {op!r}"}
        zygote_pid, zygote_cwd = os.getpid(), os.getcwd()
        try:
            pid = os.fork()
        except OSError as exc:
            return {"error": f"fork failed: {exc}"}
        if pid == 0:
            self.selector.close()
            self.owner.close()
            _become_kernel(request, zygote_pid, zygote_cwd)
        self.children.add(pid)
        return {"pid": pid}

    def serve(self) -> None:
        self.selector.register(self.owner, selectors.EVENT_READ)
        try:
            while True:
                if self.selector.select(timeout=POLL_S):
                    chunk = self.owner.recv(65536)
                    if not chunk:
                        return  # the owner is gone
                    self.buffer += chunk
                    while b"\n" in self.buffer:
                        line, self.buffer = self.buffer.split(b"\n", 1)
                        self.owner.sendall(json.dumps(self.handle(line)).encode() + b"\n")
                self.reap()
                if os.getppid() != self.owner_pid:
                    return
        finally:
            self.selector.close()
            self.kill_all()


def serve() -> None:
    """Preload, tell the owner we are ready, then fork kernels on request until the owner goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the owner decides when we stop: Ctrl-C is its to handle
    gc.disable()  # while preloading (0.15 s faster); each kernel turns it back on (Python's advice for fork servers)
    owner = socket.socket(fileno=os.dup(OWNER_FD))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, OWNER_FD)  # only `owner` holds the socket now
    os.close(null)
    try:
        preload()
        # Every preloaded object is long-lived: freezing them keeps each kernel's garbage collector from walking
        # (and so copying, page by page) the whole inherited heap, which cost every kernel 0.1 s at start alone.
        gc.freeze()
        owner.sendall(json.dumps({"ready": os.getpid()}).encode() + b"\n")
        _Server(owner).serve()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the owner went away mid-reply
    # Tearing down an interpreter that holds pandas, plotly and ipykernel takes 0.3 s, which the owner would
    # wait for; the kernels are dead and nothing is buffered but stderr.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    serve()
