"""A seeded Fruchterman–Reingold (spring) layout of a small graph, without importing networkx.

The same computation as ``networkx.spring_layout(G, seed=seed, iterations=...)`` for graphs under
500 nodes (networkx 3.x's dense ``_fruchterman_reingold``, BSD-3-Clause, NetworkX Developers): the
same random start, the same forces, cooling and stopping rule, the same rescaling, so the positions
are the same numbers (tests compare them bit for bit). Done with numpy alone, it spares a cold
``graphkit view ego`` the import of networkx; the differences and distances are computed on
contiguous x and y planes rather than ``numpy.linalg.norm`` on interleaved pairs (the same
operations in the same order, about 3x faster).

>>> pos = spring_layout(["a", "b", "c"], [("a", "b"), ("b", "c")], seed=7)
>>> sorted(pos), all(-1.0 <= v <= 1.0 for xy in pos.values() for v in xy)
(['a', 'b', 'c'], True)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def spring_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    seed: int,
    iterations: int = 50,
    threshold: float = 1e-4,
) -> dict[Hashable, tuple[float, float]]:
    """Positions in ``[-1, 1]`` of ``nodes`` (in this order; nodes only named by ``edges`` follow, in
    the order first seen), as ``networkx.spring_layout`` gives for the graph built in that order."""
    order: dict[Hashable, int] = {}
    for n in nodes:
        order.setdefault(n, len(order))
    for u, v in edges:
        order.setdefault(u, len(order))
        order.setdefault(v, len(order))
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(order)): (0.0, 0.0)}
    A = np.zeros((n, n))
    for u, v in edges:
        A[order[u], order[v]] = A[order[v], order[u]] = 1.0
    pos = _fruchterman_reingold(A, np.random.RandomState(seed), iterations, threshold)
    pos -= pos.mean(axis=0)  # networkx's rescale_layout(pos, scale=1), then + centre (0, 0)
    lim = np.abs(pos).max()
    if lim > 0:
        pos *= 1 / lim
    pos = pos + np.zeros(2)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in order.items()}


def _fruchterman_reingold(A: np.ndarray, seed: np.random.RandomState, iterations: int, threshold: float) -> np.ndarray:
    nnodes = A.shape[0]
    pos = np.asarray(seed.rand(nnodes, 2), dtype=A.dtype)
    k = np.sqrt(1.0 / nnodes)
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        # pos[:, None, :] - pos[None, :, :] and its norm along the last axis, computed on contiguous
        # x and y planes (the same subtractions and sums; 3x faster than on the interleaved array)
        px, py = pos[:, 0].copy(), pos[:, 1].copy()
        dx, dy = px[:, np.newaxis] - px[np.newaxis, :], py[:, np.newaxis] - py[np.newaxis, :]
        distance = np.sqrt(dx * dx + dy * dy)
        delta = np.stack([dx, dy], axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        displacement = np.einsum("ijk,ij->ik", delta, (k * k / distance**2 - A * distance / k))
        length = _norm_last(displacement)
        length = np.clip(length, a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / nnodes) < threshold:
            break
    return pos


def _norm_last(x: np.ndarray) -> np.ndarray:
    """``numpy.linalg.norm(x, axis=-1)`` for a last axis of length 2: ``sqrt(x0*x0 + x1*x1)``, the
    same operations numpy does (square, add the two, square root)."""
    x0, x1 = x[..., 0], x[..., 1]
    return np.sqrt(x0 * x0 + x1 * x1)
