"""Values not known yet: the placeholders of the checker's structure phase.

The shape cache (tickgen/shapes.py) checks a script shape once, with each
literal slot's value replaced by a :class:`Placeholder`, and then only the
value-dependent checks per alert.  A placeholder stands for "some value of
this slot", so everything about it is unknown: any use that would look at the
value (comparison, hashing, truth, arithmetic, ``str``, formatting, ``len``,
iteration, indexing, attribute access, ``isinstance`` against another type)
raises :class:`ValueRead`.  The checker (tickgen/tick/checker.py) reads a
value only through :meth:`~tickgen.tick.checker._Checker.derive` (a value
computed from others, such as ``'a' + 'b'``) and
:meth:`~tickgen.tick.checker._Checker.flag` (a check whose finding depends on
values, such as a zero divisor): given placeholders, those record the
computation as a :class:`Derived` value or a deferred check instead of doing
it.  A read anywhere else raises, and the shape is then checked in full for
every alert: a missed read costs speed, never a wrong answer.

``ValueRead`` is a ``BaseException`` so that no ``except Exception`` on the way
can swallow it and carry on down the wrong branch.

:func:`resolver` makes, once per shape, the function that replaces every
placeholder in a value (tuples, lists, dicts, sets, and the registered types: a
pipeline node's handler calls, a node itself) with the alert's value,
computing derived values as it goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, NoReturn

__all__ = [
    "Derived",
    "Env",
    "Placeholder",
    "Resolver",
    "Slot",
    "ValueRead",
    "has_placeholder",
    "register",
    "resolver",
]


class ValueRead(BaseException):
    """A placeholder's value was looked at where the checker does not defer."""


def _read(*_: object) -> NoReturn:
    raise ValueRead("a slot's value was read outside a deferred check")


class Placeholder:
    """A value not known in the structure phase; every use of it raises :class:`ValueRead`."""

    __slots__ = ()

    # isinstance(p, str) looks up __class__ when the real type does not match: raise
    # there too, so that an isinstance test cannot silently answer False
    @property  # type: ignore[misc]
    def __class__(self) -> NoReturn:  # type: ignore[override]
        _read()

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _read
    __hash__ = _read
    __bool__ = __len__ = __iter__ = __contains__ = __getitem__ = _read
    __str__ = __repr__ = __format__ = __bytes__ = __index__ = _read
    __int__ = __float__ = __complex__ = __round__ = __neg__ = __pos__ = __abs__ = _read
    __invert__ = _read
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _read
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _read
    __pow__ = __rpow__ = __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _read
    __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = __divmod__ = __rdivmod__ = _read
    __getattr__ = _read
    __reduce__ = __reduce_ex__ = __copy__ = __deepcopy__ = _read



class Slot(Placeholder):
    """Field ``field`` of slot ``index``'s value (``env[index][field]``)."""

    __slots__ = ("_field", "_index")

    def __init__(self, index: int, field: int) -> None:
        self._index = index
        self._field = field


class Derived(Placeholder):
    """``func(*args)`` once the placeholders in ``args`` are known."""

    __slots__ = ("_args", "_func")

    def __init__(self, func: Callable[..., object], args: tuple[object, ...]) -> None:
        self._func = func
        self._args = args


def has_placeholder(value: object) -> bool:
    """Whether ``value`` is or holds a placeholder (in the containers :func:`resolver` sees)."""
    kind = type(value)  # not isinstance: that raises on a placeholder
    if issubclass(kind, Placeholder):
        return True
    if issubclass(kind, (tuple, list, set, frozenset)):
        return any(has_placeholder(item) for item in value)  # type: ignore[attr-defined]
    if kind is dict:
        return any(has_placeholder(k) or has_placeholder(v) for k, v in value.items())  # type: ignore[attr-defined]
    custom = _CUSTOM.get(kind)
    return custom is not None and custom[0](value)


Env = Sequence[Sequence[object]]
Resolver = Callable[[Env], Any]


def resolver(value: Any) -> Resolver:
    """A function of the slot values that gives ``value`` with every placeholder
    replaced by its value (made once per shape; what holds none is shared)."""
    kind = type(value)
    if issubclass(kind, Slot):
        index, field = value._index, value._field

        def slot(env: Env) -> object:
            return env[index][field]

        return slot
    if issubclass(kind, Derived):
        func, template, holes = value._func, list(value._args), _holes(value._args)

        def derived(env: Env) -> object:
            args = template.copy()
            for index, arg in holes:
                args[index] = arg(env)
            return func(*args)

        return derived
    if not has_placeholder(value):
        return lambda env: value
    if issubclass(kind, (tuple, list, set, frozenset)):
        # the items that hold none are taken as they are
        template, holes = list(value), _holes(value)
        make: Callable[[list[Any]], object] = (
            kind if kind in (tuple, list, set, frozenset) else partial(tuple.__new__, kind)  # type: ignore[type-var]
        )

        def sequence(env: Env) -> object:
            items = template.copy()
            for index, item in holes:
                items[index] = item(env)
            return make(items)

        return sequence
    if kind is dict and not has_placeholder(list(value)):
        holes = [(k, resolver(v)) for k, v in value.items() if has_placeholder(v)]

        def mapping(env: Env) -> object:
            copied = value.copy()
            for key, item in holes:
                copied[key] = item(env)
            return copied

        return mapping
    if kind is dict:
        pairs = [(resolver(k), resolver(v)) for k, v in value.items()]
        return lambda env: {k(env): v(env) for k, v in pairs}
    return _CUSTOM[kind][1](value)


def _holes(items: Any) -> list[tuple[int, Resolver]]:
    return [(i, resolver(item)) for i, item in enumerate(items) if has_placeholder(item)]


# other types whose objects may hold values: has_placeholder and resolver for each;
# any other object (a pipeline node reached through a value, a position) is
# taken as it is
_CUSTOM: dict[type, tuple[Callable[[Any], bool], Callable[[Any], Resolver]]] = {}


def register(kind: type, has: Callable[[Any], bool], make: Callable[[Any], Resolver]) -> None:
    """Let :func:`has_placeholder` and :func:`resolver` look into objects of ``kind``."""
    _CUSTOM[kind] = (has, make)
