"""The lazy package exports (``crsvdata._lazy``): a name is imported once, on first use, from its module;
an unknown name is an AttributeError; every exported name of each lazy package resolves."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crsvdata._lazy import lazy_exports

LAZY_PACKAGES = ("crsvdata", "crsvdata.models", "crsvdata.io", "crsvdata.identifiers", "crsvdata.geography")


@pytest.fixture
def fake_module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("crsvdata_test_fake_module")
    module.answer = object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_a_name_is_imported_on_first_use_and_then_kept(fake_module: types.ModuleType) -> None:
    namespace: dict[str, Any] = {}
    getattr_, dir_ = lazy_exports("pkg", namespace, {"answer": fake_module.__name__})
    assert "answer" in dir_()
    assert "answer" not in namespace
    assert getattr_("answer") is fake_module.answer
    assert namespace["answer"] is fake_module.answer
    # Kept: a change to the module afterwards is not seen through the package, as with a real import.
    fake_module.answer = object()  # type: ignore[attr-defined]
    assert namespace["answer"] is not fake_module.answer


@given(st.text(min_size=1, max_size=20))
def test_a_name_outside_the_list_is_an_attribute_error_and_changes_nothing(name: str) -> None:
    namespace: dict[str, Any] = {"present": 1}
    assume(name != "listed")
    getattr_, dir_ = lazy_exports("pkg", namespace, {"listed": "crsvdata.version"})
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute"):
        getattr_(name)
    assert namespace == {"present": 1}
    assert dir_() == ["listed", "present"]


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_exported_name_of_a_lazy_package_resolves(package: str) -> None:
    module = importlib.import_module(package)
    names = set(getattr(module, "__all__", ()))
    names |= {name for name in dir(module) if not name.startswith("__")}
    for name in sorted(names):
        getattr(module, name)  # raises if a listed name's module does not define it
    assert set(getattr(module, "__all__", ())) <= set(dir(module))


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_a_lazy_package_refuses_an_unknown_name(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018
