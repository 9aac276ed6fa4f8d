"""Names a package exports but imports only on first use (PEP 562).

A package that keeps ``import crsvdata...`` cheap lists each such name with the module that defines it and
takes its module ``__getattr__`` and ``__dir__`` from :func:`lazy_exports`; the names stay visible to type
checkers through ``if TYPE_CHECKING:`` imports beside the list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], modules: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for the names ``modules`` maps to their modules.

    ``namespace`` is the package's ``globals()``: a name is imported once and then kept there, so later
    lookups never reach ``__getattr__`` again.
    """

    def module_getattr(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def module_dir() -> list[str]:
        return sorted({*namespace, *modules})

    return module_getattr, module_dir
