"""A zygote process that imports the heavy libraries once, then forks one fresh kernel per request.

Started by `evsupply.render.kernels` with `python -c "...serve()"`. It listens on a Unix
socket (created only once the preloads are done); any process may connect and send one JSON request
per line, {"connection_file", "cwd", "env"}, and gets one JSON reply per line, {"pid"} or {"error"}.
The zygote never runs user code, so each forked kernel starts from the same clean state: modules
imported, nothing defined. It exits (killing the kernels it forked) when its stdin closes, i.e. when
the process that started it, and every worker forked from that, has ended, however it ended.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import selectors
import signal
import socket
import sys
from pathlib import Path
from typing import Any

# Imported once here instead of in every kernel. nbformat (via jsonschema) is the slow one: plotly
# imports it when a figure is first shown. plotly.io's renderers are NOT imported here: they pick
# their default from the environment they are imported in, which must be the kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "numpy",
    "pandas",
    "nbformat",
    "plotly.graph_objects",
    "plotly.express",
    "evsupply",
)
# evsupply's own modules too (analyses, figures), so a notebook's `from evsupply.flows import ...` is
# instant; not the render machinery or the CLI, which no notebook uses.
SKIP_PREFIXES = ("evsupply.render", "evsupply.cli")


def _evsupply_modules() -> list[str]:
    """Every importable evsupply submodule a notebook might use."""
    import pkgutil

    import evsupply

    names = [m.name for m in pkgutil.walk_packages(evsupply.__path__, "evsupply.")]
    return [n for n in names if not n.startswith(SKIP_PREFIXES) and n.rsplit(".", 1)[-1] != "__main__"]

_PR_SET_PDEATHSIG = 1


def _warm_plotly() -> None:
    """Build (never show) two small figures so plotly's lazily imported trace and layout classes are loaded."""
    import plotly.express as px
    import plotly.graph_objects as go

    px.scatter(x=[0, 1], y=[0, 1]).to_dict()
    go.Figure(go.Scattergeo(lat=[0], lon=[0])).update_geos(showcountries=True).to_dict()
    if "plotly.io._renderers" in sys.modules:  # it would fix the default renderer for a non-kernel process
        raise RuntimeError("plotly.io._renderers must not be imported in the zygote")


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent (the zygote) dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the zygote's exit handler still kills its kernels
        pass


def _become_kernel(request: dict[str, Any], zygote_cwd: str) -> None:
    """In the forked child: reset process state, then run an IPython kernel until it is shut down."""
    code = 1
    try:
        os.setsid()  # own process group: the provisioner signals the group, Ctrl-C in a terminal does not reach it
        _die_with_parent()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if sys.path and sys.path[0] in ("", zygote_cwd):  # as for `python -m ipykernel_launcher` run in cwd
            sys.path[0] = os.getcwd()
        if "numpy" in sys.modules:  # numpy's global generator is not reseeded by fork, unlike `random`
            sys.modules["numpy"].random.seed()
        sys.argv = [sys.argv[0], "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", request["connection_file"]])
        app.start()
        code = 0
    finally:
        os._exit(code)


def _reap_and_kill(children: set[int]) -> None:
    """Kill every kernel this zygote forked that is still alive."""
    for pid in children:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def serve(socket_path: str) -> None:
    """Preload, then fork a kernel for each request on the Unix socket until stdin closes."""
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
    try:  # validate data/ once here; every kernel forked afterwards inherits the verdict (keyed by its hash)
        from evsupply.validate import assert_valid

        assert_valid()
    except Exception:  # invalid data fails visibly in each notebook's evsupply.load()
        pass
    try:
        _warm_plotly()
    except Exception as exc:
        print(f"forkserver: could not warm plotly: {exc}", file=sys.stderr)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the owner decides when we stop (stdin EOF)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    zygote_cwd = os.getcwd()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path + ".tmp")
    server.listen(64)
    os.replace(socket_path + ".tmp", socket_path)  # clients connect once it exists: preloads are done
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "owner")
    buffers: dict[socket.socket, bytes] = {}
    children: set[int] = set()
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "owner":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return  # the owner is gone
                elif key.data == "accept":
                    conn, _ = server.accept()
                    buffers[conn] = b""
                    selector.register(conn, selectors.EVENT_READ, "client")
                else:
                    conn = key.fileobj  # type: ignore[assignment]
                    chunk = conn.recv(65536)
                    if not chunk:
                        selector.unregister(conn)
                        conn.close()
                        del buffers[conn]
                        continue
                    buffers[conn] += chunk
                    while b"\n" in buffers[conn]:
                        line, buffers[conn] = buffers[conn].split(b"\n", 1)
                        pid = _fork(line, zygote_cwd, [server, *buffers], selector)
                        if pid:
                            children.add(pid)
                        conn.sendall(json.dumps({"pid": pid} if pid else {"error": "bad request"}).encode() + b"\n")
            children = {pid for pid in children if _alive(pid)}
    finally:
        _reap_and_kill(children)
        Path(socket_path).unlink(missing_ok=True)


def _fork(line: bytes, zygote_cwd: str, sockets: list[socket.socket], selector: selectors.BaseSelector) -> int:
    """Fork a kernel for one request; return its pid in the zygote (0 for a malformed request)."""
    try:
        request = json.loads(line)
    except ValueError:
        return 0
    pid = os.fork()
    if pid == 0:
        selector.close()
        for sock in sockets:  # the kernel must not hold the zygote's sockets
            sock.close()
        _become_kernel(request, zygote_cwd)
    return pid


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


if __name__ == "__main__":
    serve(sys.argv[1])
