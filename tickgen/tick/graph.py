"""The pipeline of a TICKscript as Graphviz DOT, byte for byte as Kapacitor's
``pipeline.Dot`` prints it for a task that is not executing (reference §4.4)::

    digraph cpu_alert {
    stream0 -> from1;
    from1 -> alert2;
    }

Nodes are named ``<desc><id>`` with ids in creation order, as the checker's walk
numbers them (see :mod:`tickgen.tick.dag`).  Kapacitor writes no
newline after the closing brace, and neither does :func:`graph`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast

if TYPE_CHECKING:
    from .checker import TaskKind
    from .dag import Pipeline

__all__ = ["dot", "graph"]


def dot(pipeline: Pipeline, name: str) -> str:
    """``pipeline.Dot(name)``: every node in topological order, its edges in
    the order its children were linked."""
    lines = [f"digraph {name} {{\n"]
    for node in pipeline.sorted():
        if node.kind == "batch":
            continue  # BatchNode.dot prints nothing: "not really an edge" (pipeline/batch.go)
        lines.extend(f"{node.name} -> {child.name};\n" for child in node.children)
    lines.append("}")
    return "".join(lines)


def graph(
    text_or_program: str | ast.Program,
    name: str = "task",
    *,
    kind: TaskKind | None = None,
) -> str:
    """The DOT graph of a script; ``name`` is the task id that Kapacitor would
    print after ``digraph``.  Raises ``TickSyntaxError`` if the text does not
    parse; a script with semantic errors graphs what could be built of it."""
    from .checker import analyse  # loaded when a graph is asked for (tickgen.tick's import)

    return dot(analyse(text_or_program, kind).pipeline, name)
