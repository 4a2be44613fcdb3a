"""The co-mention picture on entity pages: a radial layout drawn as inline SVG by the template.

The entity sits in the middle, the entities most often mentioned with it around it; an edge's
width grows with the number of shared paragraphs. No script is needed to see it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lodpub.web.refs import Ref

WIDTH, HEIGHT = 860, 440
RADIUS = 150
LABEL_MAX = 26


@dataclass(frozen=True)
class Point:
    ref: Ref
    x: float
    y: float
    r: float
    weight: int
    label: str
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    weight: int


@dataclass(frozen=True)
class Network:
    width: int
    height: int
    center: Point
    points: list[Point]
    edges: list[Edge]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def svg(center: Ref, neighbours: list[tuple[Ref, int]]) -> Network | None:
    """The layout, or None when the entity has no co-mentions."""
    if not neighbours:
        return None
    cx, cy = WIDTH / 2, HEIGHT / 2
    heaviest = max(count for _, count in neighbours)
    middle = Point(center, cx, cy, 16, 0, _short(center.label), cx, cy + 34, "middle")
    points, edges = [], []
    for index, (neighbour, count) in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * index / len(neighbours)
        x, y = cx + RADIUS * math.cos(angle), cy + RADIUS * math.sin(angle)
        r = 6 + 6 * count / heaviest
        cosine = math.cos(angle)
        anchor = "middle" if abs(cosine) < 0.3 else ("start" if cosine > 0 else "end")
        label_x = x + (r + 6) * (1 if anchor == "start" else -1 if anchor == "end" else 0)
        label_y = y + (4 if anchor != "middle" else (r + 14 if y > cy else -(r + 6)))
        points.append(
            Point(
                neighbour,
                round(x, 1),
                round(y, 1),
                round(r, 1),
                count,
                _short(neighbour.label),
                round(label_x, 1),
                round(label_y, 1),
                anchor,
            )
        )
        edges.append(
            Edge(cx, cy, round(x, 1), round(y, 1), round(1 + 4 * count / heaviest, 1), count)
        )
    return Network(WIDTH, HEIGHT, middle, points, edges)
