"""The pipeline a TICKscript builds, as Kapacitor's ``pipeline`` package builds it.

:mod:`tickgen.tick.checker` creates the nodes while it walks a script;
:mod:`tickgen.tick.graph` prints them.  Node ids follow ``pipeline/pipeline.go``
and ``pipeline/node.go``: a source gets an id when it is added, and a node gets a
fresh id every time it is linked to a parent, so the last link decides.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from . import ast

UNSET: frozenset[str] = frozenset({"\0unset"})  # a node that does not set its own group
TIME_DIMENSION = "\0time"  # the constant of time(1m) in a query's .groupBy()


@dataclass(eq=False)
class HandlerCall:
    """One alert handler: ``.post(url)`` and the properties set on it."""

    name: str
    args: tuple[object, ...]  # the creator's arguments: constants, None where not known
    pos: ast.Position
    settings: dict[str, tuple[object, ...]] = field(default_factory=dict)


@dataclass(eq=False)
class PipelineNode:
    kind: str  # a key of nodes.NODES
    desc: str
    id: int
    pos: ast.Position
    provides: str  # "stream" | "batch" | "none" | "unknown"
    # Children are held, parents only referred to: parent <-> child links would
    # make every pipeline a reference cycle, freed only by the cyclic collector.
    # Every node is reachable from the pipeline's sources through children.
    parent_refs: list[weakref.ref[PipelineNode]] = field(default_factory=list)
    children: list[PipelineNode] = field(default_factory=list)
    expressions: int = 0  # lambdas given to eval()/combine()
    args: tuple[str, ...] = ()  # the types of the creating call's arguments
    arg_values: tuple[object, ...] = ()  # and their constants (None where not known)
    # property -> the arguments of its last call (constants, None where not known)
    settings: dict[str, tuple[object, ...]] = field(default_factory=dict)
    # the last .as() and .tags(): None until called; an entry is None when it is not
    # a constant
    as_names: tuple[str | None, ...] | None = None
    tags: tuple[str | None, ...] = ()
    delimiter: str | None = "."  # join/combine prefix delimiter; None: not a constant
    handlers: int = 0
    topic: bool = False
    own_group: frozenset[str] | None = UNSET  # None: every tag (*) or not known
    templates: list[tuple[str, str, ast.Position]] = field(default_factory=list)
    alert_properties: set[str] = field(default_factory=set)  # set before any handler
    handler_calls: list[HandlerCall] = field(default_factory=list)  # an alert's, in order

    @property
    def parents(self) -> list[PipelineNode]:
        return [parent for ref in self.parent_refs if (parent := ref()) is not None]

    @property
    def name(self) -> str:
        return f"{self.desc}{self.id}"


@dataclass
class Pipeline:
    sources: list[PipelineNode] = field(default_factory=list)
    next_id: int = 0

    def assign_id(self, node: PipelineNode) -> None:
        # Kapacitor assigns a fresh id on *every* link (pipeline.assignID), so a
        # join linked to two parents takes the second id: join5 after shift3.
        node.id = self.next_id
        self.next_id += 1

    def add_source(self, node: PipelineNode) -> None:
        self.assign_id(node)
        self.sources.append(node)

    def link(self, parent: PipelineNode, child: PipelineNode) -> None:
        self.assign_id(child)
        parent.children.append(child)
        child.parent_refs.append(weakref.ref(parent))

    def sorted(self) -> list[PipelineNode]:
        """Kapacitor's ``Pipeline.sort``: reverse DFS post-order, sources taken last first."""
        done: set[int] = set()
        order: list[PipelineNode] = []
        for source in reversed(self.sources):
            # an explicit stack: a long chain must not hit Python's recursion limit
            stack = [(source, iter(source.children))]
            done.add(id(source))
            while stack:
                node, children = stack[-1]
                child = next((c for c in children if id(c) not in done), None)
                if child is None:
                    stack.pop()
                    order.append(node)
                else:
                    done.add(id(child))
                    stack.append((child, iter(child.children)))
        order.reverse()
        return order
