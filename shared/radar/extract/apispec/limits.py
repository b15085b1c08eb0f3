"""Bounds on hostile documents, shared by the parser, the renderer and the extractors.

Each bound is far above what a real spec needs and far below what an attack (alias bomb,
reference bomb, deep nesting) needs, so a legitimate document never meets one and a hostile
one stops with `ExtractError` instead of exhausting memory or time. `Json` names a parsed
value (dicts, lists and scalars) for the annotations of every module here.
"""

from __future__ import annotations

from typing import Any

# Real specs nest a few dozen levels at most; deeper is an attack on the parser or renderer.
MAX_DEPTH = 100
# Nodes that YAML aliases may add by expansion: a real spec uses a handful of anchors, an alias
# bomb ("billion laughs") adds billions.
MAX_ALIAS_NODES = 1_000_000
# Inlined references (parameters, responses ...) per document, and the longest chain of
# references that are nothing but a `$ref` to another reference.
MAX_REF_INLINES = 50_000
MAX_REF_CHAIN = 32
# Characters rendered per document: a fixed allowance plus a multiple of the body, enough for
# shared parameters inlined into many operations but far below a reference bomb's expansion.
RENDER_BASE_CHARS = 4_000_000
RENDER_BODY_FACTOR = 8

Json = Any
