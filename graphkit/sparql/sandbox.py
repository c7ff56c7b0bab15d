"""Cut a process (or one thread) off the network, so a query it runs cannot reach another host.

pyoxigraph evaluates ``SERVICE`` by opening an HTTP connection itself (from Rust, below Python's
``socket`` module), so patching Python cannot stop it. :func:`seal_network` installs a seccomp
filter in the kernel instead: from then on the calling thread and every process it forks get
``EACCES`` from ``socket()`` for any address family but ``AF_UNIX`` (the pipes to the server
keep working), and cannot set up ``io_uring`` (which can open sockets on its own). Nothing can
undo it. It needs no privilege (``PR_SET_NO_NEW_PRIVS`` is set first) and works on Linux x86-64
and arm64; elsewhere it returns False and the query guard (:mod:`graphkit.sparql.guard`) is the
only layer.

This is the second layer behind the guard: ``graphkit serve``'s query processes and
``graphkit query``'s query thread are sealed unless SERVICE was explicitly allowed.

>>> import threading
>>> out = []
>>> def probe():
...     out.append(seal_network())
...     try:
...         socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
...         out.append("socket made")
...     except PermissionError:
...         out.append("refused")
>>> t = threading.Thread(target=probe); t.start(); t.join()
>>> out
[True, 'refused']
>>> socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # only that thread was sealed
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys

# seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7, "arm64": 0xC00000B7}
_SOCKET = {"x86_64": 41, "aarch64": 198, "arm64": 198}
_IO_URING_SETUP = 425  # the same number on both
_X32_BIT = 0x40000000  # x86-64's x32 ABI: other numbers for the same calls

_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EACCES  # SECCOMP_RET_ERRNO
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def _filter(machine: str) -> bytes:
    """The BPF program (``struct sock_filter[]``) for ``machine``."""
    arch, sock = _AUDIT_ARCH[machine], _SOCKET[machine]
    program = [
        (_LD_ABS_W, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, arch),  # another ABI (e.g. 32-bit calls): refuse everything
        (_RET_K, 0, 0, _DENY),
        (_LD_ABS_W, 0, 0, _NR),
        (_JGE_K, 5, 0, _X32_BIT),  # x32 numbers → the deny at index 10 (jumps count from the next one)
        (_JEQ_K, 4, 0, _IO_URING_SETUP),  # → deny
        (_JEQ_K, 1, 0, sock),  # socket() → look at the family
        (_RET_K, 0, 0, _ALLOW),
        (_LD_ABS_W, 0, 0, _ARG0),
        (_JEQ_K, 1, 0, socket.AF_UNIX),
        (_RET_K, 0, 0, _DENY),
        (_RET_K, 0, 0, _ALLOW),
    ]
    return b"".join(struct.pack("HBBI", *ins) for ins in program)


def supported() -> bool:
    """True where :func:`seal_network` can seal (Linux on x86-64 or arm64)."""
    return sys.platform.startswith("linux") and platform.machine() in _AUDIT_ARCH


def seal_network() -> bool:
    """Forbid the calling thread (and the processes it forks) any network socket, for good.

    Returns False, changing nothing, where that is not supported; raises OSError if the kernel
    refuses the filter.
    """
    if not supported():
        return False
    code = _filter(platform.machine())
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
    return True
