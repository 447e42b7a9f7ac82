"""Fresh kernels, fast: fork each report's kernel from a pre-imported zygote instead of starting Python anew.

A plain kernel spends most of its start-up importing the same libraries for every report. Here one
zygote per worker process imports them once (see `forkserver`), and each report gets a kernel forked
from it: a new process with nothing defined, used for that report only, then shut down. No state
can pass from one report to the next, since no report ever runs in the zygote.
`ReportKernelManager` plugs this into jupyter_client, so papermill and nbclient work unchanged.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import Bool

from evsupply.render.forkserver import _alive

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class ZygoteError(RuntimeError):
    """The fork server could not start or could not fork a kernel."""


class Zygote:
    """A fork server process and this process's connection to it (thread-safe; reconnects after fork)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        self._dir = tempfile.mkdtemp(prefix="evsupply-kernels-")
        self.socket_path = os.path.join(self._dir, "zygote.sock")
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from evsupply.render.forkserver import serve; serve(sys.argv[1])",
             self.socket_path],
            stdin=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C goes to the render processes, which end the zygote by ending
        )
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self._conn: socket.socket | None = None
        self._conn_pid = 0
        self._buffer = b""

    def _connect(self, timeout: float = 120.0) -> socket.socket:
        if self._conn is not None and self._conn_pid == os.getpid():
            return self._conn
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.connect(self.socket_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                conn.close()
                if time.monotonic() > deadline or (os.getpid() == self._owner and self._proc.poll() is not None):
                    raise ZygoteError(f"kernel fork server did not start (socket {self.socket_path})") from None
                time.sleep(0.02)
        self._conn, self._conn_pid, self._buffer = conn, os.getpid(), b""
        return conn

    def fork_kernel(self, connection_file: str, cwd: str, env: dict[str, str]) -> int:
        """Fork a kernel that serves `connection_file`; return its pid."""
        request = json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env}).encode() + b"\n"
        with self._lock:
            conn = self._connect()
            try:
                conn.sendall(request)
                while b"\n" not in self._buffer:
                    chunk = conn.recv(4096)
                    if not chunk:
                        raise ConnectionError("connection closed")
                    self._buffer += chunk
            except OSError as exc:
                self._conn = None
                raise ZygoteError(f"kernel fork server is gone: {exc}") from exc
            line, self._buffer = self._buffer.split(b"\n", 1)
        reply = json.loads(line)
        if "error" in reply:
            raise ZygoteError(f"could not fork a kernel: {reply['error']}")
        return int(reply["pid"])

    def alive(self) -> bool:
        """True while the fork server runs (as far as this process can tell)."""
        if os.getpid() != self._owner:
            return os.path.exists(self.socket_path)
        return self._proc.poll() is None

    def close(self) -> None:
        """Stop the fork server (from the process that started it); it kills the kernels it forked."""
        if os.getpid() != self._owner:
            return
        if self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> Zygote:
    """The fork server of this process: inherited from the parent that started it, else started now."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive():
            _zygote = Zygote()
            atexit.register(_zygote.close)
        return _zygote


def start_zygote() -> None:
    """Start the fork server now, so its imports overlap with other start-up work; forked workers share it."""
    zygote()


def stop_zygote() -> None:
    """Stop this process's fork server, if it started one."""
    global _zygote
    with _zygote_lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


class ForkedProcess:
    """The small part of `subprocess.Popen` that LocalProvisioner uses, for a kernel we did not spawn."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs, else an exit status (0: the real one went to the zygote)."""
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Return the exit status; callers only wait after poll() said the kernel ended."""
        return self.poll() or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel process."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel."""
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """A LocalProvisioner whose kernel process is forked by the zygote instead of spawned."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel; jupyter_client has already written the connection file."""
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = zygote().fork_kernel(str(self.parent.connection_file), cwd, env)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # the kernel called setsid(): its group is its pid
        self.cwd = cwd
        return self.connection_info


def can_fork(kernel_argv: list[str]) -> bool:
    """True if the kernelspec runs ipykernel on this very interpreter, so a fork is an exact stand-in."""
    if os.name != "posix" or not kernel_argv or "ipykernel_launcher" not in " ".join(kernel_argv):
        return False
    exe = kernel_argv[0]
    if exe in {"python", "python3", "{python}"}:
        return True
    try:
        return Path(exe).resolve() == Path(sys.executable).resolve() or Path(exe).samefile(sys.executable)
    except OSError:
        return False


class ReportKernelManager(AsyncKernelManager):
    """Kernel manager for one report: a forked kernel when possible, else a normal subprocess."""

    fork = Bool(True, help="fork kernels from the zygote when the kernelspec allows it").tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None and self.fork and can_fork(self.kernel_spec.argv):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class SubprocessKernelManager(ReportKernelManager):
    """Same manager with forking off: every kernel is a fresh interpreter (slower; for comparison and debugging)."""

    fork = Bool(False).tag(config=True)
