"""This module contains the app icons Teams shows, drawn in code and encoded as PNG files."""

from __future__ import annotations

import argparse
import math
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

COLOR_SIZE = 192
OUTLINE_SIZE = 32
COLOR_FILE = "color.png"
OUTLINE_FILE = "outline.png"

# The manifest's accentColor, so the tile and the icon's background match.
BRAND_BLUE = (0x1F, 0x4E, 0x79)
LIGHT_BLUE = (0x9D, 0xC3, 0xE6)
WHITE = (255, 255, 255)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPE_RGB = 2
_COLOUR_TYPE_RGBA = 6
# 4 x 4 samples a pixel: enough for smooth edges at 32 pixels, cheap at 192.
_SAMPLES = 4

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Shape:
    """A region of the canvas: its bounding box (left, top, right, bottom) and a point test."""

    bounds: tuple[float, float, float, float]
    contains: Callable[[float, float], bool]


@dataclass(frozen=True, slots=True)
class Image:
    """Pixels row by row, 3 (RGB) or 4 (RGBA) bytes a pixel."""

    width: int
    height: int
    channels: int
    rows: tuple[bytes, ...]


def rounded_rect(left: float, top: float, right: float, bottom: float, radius: float) -> Shape:
    """A rectangle with quarter-circle corners."""

    def contains(x: float, y: float) -> bool:
        if not (left <= x <= right and top <= y <= bottom):
            return False
        dx = max(left + radius - x, 0.0, x - (right - radius))
        dy = max(top + radius - y, 0.0, y - (bottom - radius))
        return dx * dx + dy * dy <= radius * radius

    return Shape((left, top, right, bottom), contains)


def stroke(points: Sequence[tuple[float, float]], width: float) -> Shape:
    """A polyline drawn with a round pen `width` wide."""
    half = width / 2
    segments = list(zip(points, points[1:], strict=False))

    def contains(x: float, y: float) -> bool:
        return any(_distance_to_segment(x, y, a, b) <= half for a, b in segments)

    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Shape((min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half), contains)


def union(*shapes: Shape) -> Shape:
    """Everything inside any of `shapes`."""
    return Shape(
        (
            min(s.bounds[0] for s in shapes),
            min(s.bounds[1] for s in shapes),
            max(s.bounds[2] for s in shapes),
            max(s.bounds[3] for s in shapes),
        ),
        lambda x, y: any(s.contains(x, y) for s in shapes),
    )


def difference(outer: Shape, inner: Shape) -> Shape:
    """Inside `outer` but not inside `inner`: a frame when `inner` sits within `outer`."""
    return Shape(outer.bounds, lambda x, y: outer.contains(x, y) and not inner.contains(x, y))


def coverage_map(shape: Shape, size: int) -> dict[tuple[int, int], float]:
    """The share of each pixel (column, row) that `shape` covers, for pixels it touches."""
    left, top, right, bottom = shape.bounds
    covered: dict[tuple[int, int], float] = {}
    offsets = [(i + 0.5) / _SAMPLES for i in range(_SAMPLES)]
    for row in range(max(math.floor(top), 0), min(math.ceil(bottom), size)):
        for column in range(max(math.floor(left), 0), min(math.ceil(right), size)):
            inside = sum(shape.contains(column + dx, row + dy) for dy in offsets for dx in offsets)
            if inside:
                covered[column, row] = inside / (_SAMPLES * _SAMPLES)
    return covered


def draw_color_icon() -> Image:
    """The 192 x 192 colour icon: a white clipboard with a tick, full bleed on brand blue."""
    size = COLOR_SIZE
    pixels = [[BRAND_BLUE] * size for _ in range(size)]
    # Teams crops to a 120 x 120 safe area in the middle: the symbol stays inside it.
    layers: list[tuple[Shape, RGB]] = [
        (rounded_rect(58, 44, 134, 156, 10), WHITE),
        (rounded_rect(78, 36, 114, 58, 7), LIGHT_BLUE),
        (stroke([(74, 104), (90, 120), (119, 86)], 13), BRAND_BLUE),
    ]
    for shape, colour in layers:
        for (column, row), share in coverage_map(shape, size).items():
            pixels[row][column] = _blend(colour, pixels[row][column], share)
    rows = tuple(bytes(channel for pixel in line for channel in pixel) for line in pixels)
    return Image(size, size, 3, rows)


def draw_outline_icon() -> Image:
    """The 32 x 32 outline icon: the same clipboard in white on a transparent background."""
    size = OUTLINE_SIZE
    symbol = union(
        difference(rounded_rect(7, 5, 25, 30, 3), rounded_rect(9, 7, 23, 28, 1.5)),
        rounded_rect(11.5, 3, 20.5, 8.5, 1.5),
        stroke([(11.5, 18), (14.5, 21), (20.5, 14.5)], 2.4),
    )
    alpha = [[0] * size for _ in range(size)]
    for (column, row), share in coverage_map(symbol, size).items():
        alpha[row][column] = round(share * 255)
    # Teams requires white only: every pixel is white, and only its opacity varies.
    rows = tuple(bytes(channel for a in line for channel in (*WHITE, a)) for line in alpha)
    return Image(size, size, 4, rows)


def encode_png(image: Image) -> bytes:
    """The image as an 8-bit RGB or RGBA PNG file."""
    colour_type = _COLOUR_TYPE_RGBA if image.channels == 4 else _COLOUR_TYPE_RGB
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, colour_type, 0, 0, 0)
    # Filter type 0 (none) on every row keeps the encoder a few lines long.
    raw = b"".join(b"\x00" + row for row in image.rows)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height a PNG file's header declares.

    Raises:
        ValueError: `data` does not start like a PNG file.
    """
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def write_icons(folder: Path) -> list[Path]:
    """Draws both icons into `folder` and returns their paths."""
    written = []
    for name, image in ((COLOR_FILE, draw_color_icon()), (OUTLINE_FILE, draw_outline_icon())):
        path = folder / name
        path.write_bytes(encode_png(image))
        written.append(path)
    return written


def _blend(colour: RGB, under: RGB, share: float) -> RGB:
    r, g, b = (round(c * share + u * (1 - share)) for c, u in zip(colour, under, strict=True))
    return (r, g, b)


def _distance_to_segment(
    x: float, y: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    (ax, ay), (bx, by) = a, b
    length_squared = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0
    if length_squared:
        # How far along the segment the nearest point lies, clamped to its ends.
        t = ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length_squared
        t = min(max(t, 0.0), 1.0)
    return math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def main() -> int:
    """Redraws manifest/color.png and manifest/outline.png (`make icons`)."""
    parser = argparse.ArgumentParser(description="Redraw the Teams app icons.")
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path(str(resources.files("manifest"))),
        help="where to write color.png and outline.png (default: the manifest folder)",
    )
    for path in write_icons(parser.parse_args().folder):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
