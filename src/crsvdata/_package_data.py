"""Files shipped inside the crsvdata package (schemas, code lists, the codifier), read without the network.

An installed crsvdata is a folder (a wheel is unpacked), so a data file is read as a plain path next to the
package's modules. Only a package imported from elsewhere (a zip archive) goes through
``importlib.resources``, which imports ``tempfile``, ``shutil``, ``zipfile`` and the compression modules:
about 8 ms of every ``crsvdata validate``'s start-up that a folder does not need.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["package_files"]


def package_files(package: str) -> Traversable:
    """The folder of ``package`` (a plain path when it is one on disk), to join data file names onto."""
    spec = importlib.import_module(package).__spec__
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(locations) == 1 and Path(locations[0]).is_dir():
        return Path(locations[0])
    from importlib import resources

    return resources.files(package)
