"""Jinja filters a template may use to word a figure: registered once here, documented in docs/templates.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# name → function; the rendering and template-check environments both register every entry.
FILTERS: dict[str, Callable[..., Any]] = {}
