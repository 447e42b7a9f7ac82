"""Where report kernels come from: `Kernels`, the one interface the rest of the render machinery uses.

    with Kernels(fork=True) as kernels:
        kernels.start()                      # optional: start the zygote now, while the caller does other work
        papermill.execute_notebook(..., kernel_manager_class=kernels.manager_class)
        kernels.kill_all()                   # Ctrl-C: kill every running kernel, start no new one
                                             # leaving the block stops the zygote and every kernel

Each report gets its own kernel, used for that report only and then shut down, so no state passes from one
report to the next. With fork=True the kernel is forked from a zygote (`forkserver`) that has imported pandas,
plotly and evsupply once; with fork=False it is a fresh interpreter, as jupyter_client starts one. The contract
(tests/test_render_kernels.py): the same notebook gives the same outputs either way. See docs/render-design.md.
"""

from __future__ import annotations

import asyncio
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
from queue import Empty
from typing import Any

import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import default

from evsupply.core.cache import is_private_dir
from evsupply.render.errors import KernelStartError

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
READY_TIMEOUT_S = 120.0


KERNEL_ARGS = ("--HistoryManager.enabled=False",)


def runtime_base() -> Path:
    """Where renders keep their kernels' connection files (which hold the kernels' keys): one folder per render,
    `<pid>-<random>`, in a folder of $TMPDIR private to this user. A render removes its own when it ends; the
    next render removes those of renders that died without doing so (`kill -9`)."""
    return Path(tempfile.gettempdir()) / f"evsupply-kernels-{os.geteuid()}"


def sweep_runtime(base: Path) -> int:
    """Remove the runtime folders of renders whose process is gone; return how many."""
    count = 0
    try:
        children = list(base.iterdir())
    except OSError:
        return 0
    for child in children:
        pid = child.name.split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)) or child.is_symlink():
            continue
        shutil.rmtree(child, ignore_errors=True)
        count += 1
    return count


def new_runtime_dir() -> Path:
    """A fresh private folder for one render's connection files (after sweeping those of dead renders)."""
    base = runtime_base()
    try:
        base.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        pass
    if not is_private_dir(base):  # someone else's, or open to others: a random private folder instead
        return Path(tempfile.mkdtemp(prefix="evsupply-kernels-"))
    sweep_runtime(base)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base))


def _with_package_path(env: dict[str, str]) -> dict[str, str]:
    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    return env


class Zygote:
    """The render process's end of a fork server (see `forkserver`): one connection, used under a lock."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()  # both close-on-exec; Popen hands `theirs` over as stdin
        self._log = tempfile.TemporaryFile(prefix="evsupply-zygote-")  # its stderr: shown only if it fails
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "evsupply.render.forkserver"],
                stdin=theirs,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                env=_with_package_path(dict(os.environ)),
                start_new_session=True,  # Ctrl-C goes to the render process, which decides what to stop
            )
        finally:
            theirs.close()
        self._sock = mine
        self._buffer = b""
        self._lock = threading.Lock()
        self._ready = False

    @property
    def pid(self) -> int:
        """The zygote's process id."""
        return self._proc.pid

    def _recv_line(self, deadline: float | None) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise KernelStartError(f"kernel fork server gave no answer in {READY_TIMEOUT_S:.0f} s")
                self._sock.settimeout(min(left, 1.0))
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as exc:
                raise KernelStartError(f"kernel fork server is gone: {exc}") from None
            finally:
                self._sock.settimeout(None)
            if not chunk:
                raise KernelStartError(f"kernel fork server is gone{self._last_words()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _last_words(self) -> str:
        try:
            self._log.seek(0)
            lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        return f": {lines[-1]}" if lines else ""

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if not self._ready:
                self._recv_line(time.monotonic() + READY_TIMEOUT_S)  # {"ready": pid}: preloads done
                self._ready = True
            try:
                self._sock.sendall(json.dumps(request).encode() + b"\n")
            except OSError as exc:
                raise KernelStartError(f"kernel fork server is gone: {exc}") from None
            return self._recv_line(None)

    def fork_kernel(self, connection_file: str, cwd: str, env: dict[str, str]) -> int:
        """Fork a kernel that serves `connection_file`; return its pid."""
        reply = self._ask({"op": "fork", "connection_file": connection_file, "cwd": cwd, "env": env})
        if "error" in reply:
            raise KernelStartError(f"could not fork a kernel: {reply['error']}")
        return int(reply["pid"])

    def kill_kernels(self) -> None:
        """SIGKILL every kernel the zygote forked (it reaps them, so no pid is reused under us)."""
        if not self._ready:  # still importing: it has forked nothing (a fork asked meanwhile is killed on arrival)
            return
        if self._proc.poll() is None:
            try:
                self._ask({"op": "kill"})
            except KernelStartError:
                pass

    def close(self) -> None:
        """Stop the zygote: end of file on its socket makes it kill its kernels and exit."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        if not self._ready:  # still importing, no kernel yet: no need to wait for it to notice
            self._proc.kill()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._log.close()


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


class ForkedProcess:
    """The small part of `subprocess.Popen` that LocalProvisioner uses, for a kernel the zygote forked."""

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
        """Wait (polling) until the kernel has ended; return its status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel process."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel."""
        self.send_signal(signal.SIGTERM)


class _Provisioner(LocalProvisioner):
    """A LocalProvisioner that tells its `Kernels` about the kernels it starts."""

    @property
    def kernels(self) -> Kernels:
        return self.parent.kernels  # type: ignore[union-attr]

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Start the kernel (refused once the render was stopped) and record it."""
        self.kernels.check_open()
        info = await self._launch(cmd, **kwargs)
        self.kernels.started(self.pid)
        return info

    async def _launch(self, cmd: list[str], **kwargs: Any) -> Any:
        return await super().launch_kernel(cmd, **kwargs)

    async def wait(self) -> int | None:
        """Wait for the kernel to end, polling every 10 ms (LocalProvisioner sleeps 100 ms between looks)."""
        while self.process is not None and self.process.poll() is None:
            await asyncio.sleep(0.01)
        return await super().wait()

    async def cleanup(self, restart: bool = False) -> None:
        """Forget the kernel, then let LocalProvisioner clean up its files."""
        if self.pid:
            self.kernels.ended(self.pid)
        await super().cleanup(restart)


class _ForkProvisioner(_Provisioner):
    """The kernel process is forked by the zygote instead of spawned."""

    async def _launch(self, cmd: list[str], **kwargs: Any) -> Any:
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = self.kernels.zygote().fork_kernel(str(self.parent.connection_file), cwd, _with_package_path(env))
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # the kernel called setsid(): its group is its pid
        self.cwd = cwd
        return self.connection_info


class ReadyClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel answers on shell and iopub.

    jupyter_client's own wait ends with 0.2 s of listening for stray iopub messages, for every report;
    nbclient ignores messages that do not answer its own requests, so that wait buys nothing here.
    """

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        """Connect to the kernel, retrying every 10 ms while it binds its sockets (zmq's default: 100 ms)."""
        self.context.setsockopt(zmq.RECONNECT_IVL, 10)
        super().start_channels(*args, **kwargs)

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        deadline = time.monotonic() + (timeout or READY_TIMEOUT_S)
        msg_id = self.kernel_info()
        asked = time.monotonic()
        replied = heard = False
        while not (replied and heard):
            if not replied:
                try:
                    msg = await self.shell_channel.get_msg(timeout=0.05)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") == msg_id:
                        self._handle_kernel_info_reply(msg)
                        replied = True
            if replied and not heard:  # iopub is connected once any message arrives there
                try:
                    await self.iopub_channel.get_msg(timeout=0.05)
                    heard = True
                except Empty:
                    pass
            if replied and heard:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"kernel did not answer in {timeout} s")
            if time.monotonic() - asked > 1.0:
                if not await self._async_is_alive():
                    raise RuntimeError("kernel died before replying to kernel_info")
                msg_id, asked, replied = self.kernel_info(), time.monotonic(), False


class ReportKernelManager(AsyncKernelManager):
    """Kernel manager for one report, bound to a `Kernels` (see `Kernels.manager_class`)."""

    kernels: Kernels

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return ReadyClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # Shutting a report's kernel down waits for it to end: look every 10 ms, not every 100 ms.
        while await self._async_is_alive():
            await asyncio.sleep(min(pollinterval, 0.01))

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            if not self.connection_file:  # not jupyter_client's default, a loose file in $TMPDIR
                self.connection_file = str(self.kernels.runtime_dir() / f"kernel-{self.kernel_id}.json")
            fork = self.kernels.fork and can_fork(self.kernel_spec.argv)
            cls = _ForkProvisioner if fork else _Provisioner
            self.provisioner = cls(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        # A report's kernel keeps no IPython history: no SQLite file shared by concurrent renders (or left locked
        # by a killed one), and no report cells in the user's history. Forked kernels get the same (forkserver).
        kw["extra_arguments"] = [*kw.get("extra_arguments", []), *KERNEL_ARGS]
        return await super()._async_pre_start_kernel(**kw)


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


class Kernels:
    """The kernels of one render: forked from a zygote (fork=True) or fresh interpreters; thread-safe."""

    def __init__(self, fork: bool = True) -> None:
        self.fork = fork
        self._zygote: Zygote | None = None
        self._lock = threading.Lock()
        self._running: set[int] = set()
        self._stopped = threading.Event()
        self._runtime: Path | None = None
        self.manager_class: type[ReportKernelManager] = type(
            "BoundReportKernelManager", (ReportKernelManager,), {"kernels": self}
        )

    def __enter__(self) -> Kernels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> Kernels:
        """Start the zygote now (fork=True), so its imports overlap with the caller's own work."""
        self.zygote() if self.fork else None
        return self

    def zygote(self) -> Zygote:
        """The zygote, started on first use."""
        with self._lock:
            self.check_open()
            if self._zygote is None:
                self._zygote = Zygote()
            return self._zygote

    def runtime_dir(self) -> Path:
        """This render's folder of kernel connection files (created on first use, removed by `close`)."""
        with self._lock:
            if self._runtime is None:
                self._runtime = new_runtime_dir()
            return self._runtime

    @property
    def stopped(self) -> bool:
        """True once `kill_all` or `close` ran: kernels that died then were killed on purpose."""
        return self._stopped.is_set()

    def check_open(self) -> None:
        """Raise KernelStartError once the kernels were stopped."""
        if self._stopped.is_set():
            raise KernelStartError("render stopped: no new kernel is started")

    def started(self, pid: int | None) -> None:
        """Record a running kernel (its pid is its process group)."""
        if pid:
            with self._lock:
                self._running.add(pid)
            if self._stopped.is_set():  # stopped while this one was starting
                self.kill_all()

    def ended(self, pid: int) -> None:
        """Forget a kernel that was shut down."""
        with self._lock:
            self._running.discard(pid)

    def kill_all(self) -> None:
        """Kill every running kernel and refuse new ones (the render was interrupted)."""
        self._stopped.set()
        with self._lock:
            zygote, fresh = self._zygote, set(self._running)
        if zygote is not None:
            zygote.kill_kernels()
        for pid in fresh:  # fresh kernels; forked ones are already gone, and a group id is never reused
            try:  # while it still has a member
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self) -> None:
        """Stop every kernel and the zygote."""
        self.kill_all()
        with self._lock:
            zygote, self._zygote = self._zygote, None
        if zygote is not None:
            zygote.close()
        with self._lock:
            runtime, self._runtime = self._runtime, None
        if runtime is not None:
            shutil.rmtree(runtime, ignore_errors=True)


_default: dict[bool, Kernels] = {}
_default_lock = threading.Lock()


def process_kernels(fork: bool = True) -> Kernels:
    """This process's shared Kernels, started on first use and closed at exit (Dask workers use it)."""
    with _default_lock:
        kernels = _default.get(fork)
        if kernels is None or kernels.stopped:
            kernels = _default[fork] = Kernels(fork)
            atexit.register(kernels.close)
        return kernels
