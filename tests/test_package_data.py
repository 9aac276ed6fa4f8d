"""Package data is read from the package folder, and still from a package imported out of a zip archive."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from crsvdata._package_data import package_files


def test_an_installed_folder_is_read_as_a_plain_path() -> None:
    folder = package_files("crsvdata.codes")
    assert isinstance(folder, Path)
    assert folder == Path(sys.modules["crsvdata.codes"].__file__ or "").parent
    assert folder.joinpath("data", "_catalogue.csv").read_text(encoding="utf-8").startswith("name,")


def test_a_package_in_a_zip_archive_is_read_through_importlib_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("zipped_data_package/__init__.py", "")
        handle.writestr("zipped_data_package/data/list.csv", "code\nsynthetic\n")
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.delitem(sys.modules, "zipped_data_package", raising=False)
    folder = package_files("zipped_data_package")
    assert not isinstance(folder, Path)
    assert folder.joinpath("data", "list.csv").read_text(encoding="utf-8") == "code\nsynthetic\n"
