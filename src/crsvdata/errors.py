"""The one error tree of crsvdata: every exception the library raises on purpose derives from CrsvError.

Like httpx's ``HTTPError`` family, the tree is small and drawn here::

    CrsvError                      every deliberate crsvdata error; has a stable ``code``
    ├── MissingExtraError          an optional part used without its extra installed (an ImportError)
    ├── InputError                 input that cannot be read (encoding, syntax, too large, missing)
    ├── CrsvValidationError        a document that was read but is not valid (crsvdata.parse)
    └── AnonymisationError         an export refused (crsvdata.anonymise)
        ├── ProfileError           a profile file that is not valid
        ├── KeyMaterialError       a pseudonymisation key that is missing, weak or unreadable
        ├── ConsentScopeError      a recipient or consent scope that does not allow the export
        ├── DisclosureRiskError    the output would not meet the profile's thresholds
        └── InvalidInputError      an input record is not valid

Each ``code`` is in the issue catalogue (``crsvdata.validation.catalogue``) and documented. A message
never contains a value taken from the data or from a key.
"""

from __future__ import annotations

__all__ = ["CrsvError", "MissingExtraError", "require_extra"]


class CrsvError(Exception):
    """Base of every error crsvdata raises on purpose. ``code`` is a stable catalogued issue code."""

    code: str = "library.error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The message: safe to log and show (it never carries a data value or key material)."""
        return str(self.args[0]) if self.args else ""


class MissingExtraError(CrsvError, ModuleNotFoundError):
    """An optional part of crsvdata was imported or used without the extra that installs what it needs.

    It is a ``ModuleNotFoundError`` (so ``except ImportError`` still works) whose message names the extra
    to install, e.g. ``pip install 'crsvdata[testing]'``.
    """

    code = "library.missing_extra"

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {module!r}, which is not installed: "
            f"pip install 'crsvdata[{extra}]'"
        )
        self.name = module
        self.extra = extra


def require_extra(module: str, *, extra: str, feature: str) -> None:
    """Raise :class:`MissingExtraError` naming ``extra`` unless ``module`` can be imported."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(feature, extra, module) from None
