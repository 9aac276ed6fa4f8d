"""The documentation site: a strict build, what the generated reference holds, and a real browser.

The site is built once per test run (shared by pytest-xdist workers through a lock) with
``mkdocs build --strict``, unless ``CRSVDATA_DOCS_SITE`` names a site already built that way: ``make test``
sets it to the ``site/`` that ``make docs-check`` has just built, so the site is built once, not twice. A
provided site is used only if its build stamp is newer than every input of the build; otherwise the tests
fail rather than check a stale site. The browser tests drive Debian's headless Chromium through the DevTools
protocol: pages must load without console errors, failed requests or uncaught exceptions, and the search
box must find a field name. They are skipped, saying why, when Chromium is not installed.

Set ``CRSVDATA_DOCS_SCREENSHOTS=DIR`` to save a screenshot of every page the browser test visits.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from websockets.sync.client import ClientConnection, connect

from crsvdata import codes
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.version import SCHEMA_BASE_URL, STANDARD_VERSION

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next(
    (path for path in ("/usr/bin/chromium", shutil.which("chromium")) if path and Path(path).exists()), None
)
BUILD_TIMEOUT = 240


class NetworkBlockedError(RuntimeError):
    """Raised when a test of this module tries to reach anything but this machine."""


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides the suite-wide guard: the browser tests talk to a server and a browser on loopback only."""
    real_connect = socket.socket.connect
    real_create = socket.create_connection

    def is_loopback(address: Any) -> bool:
        host = address[0] if isinstance(address, tuple) else address
        return host in ("127.0.0.1", "::1", "localhost")

    def connect(self: socket.socket, address: Any) -> None:
        if not is_loopback(address):
            raise NetworkBlockedError(f"tests must not use the network ({address!r})")
        real_connect(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not is_loopback(address):
            raise NetworkBlockedError(f"tests must not use the network ({address!r})")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)


# --- the build ---


def _build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}"}
    env["PATH"] += os.environ.get("PATH", "")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert completed.returncode == 0, f"mkdocs build --strict failed:\n{completed.stdout}\n{completed.stderr}"


BUILT_SITE_VARIABLE = "CRSVDATA_DOCS_SITE"
BUILD_STAMP = ".crsvdata-strict-build"
"""Written into the site folder by ``make docs-check`` after a successful strict build (mkdocs keeps
hidden files when it cleans the folder, so the Makefile removes the stamp before building)."""
BUILD_INPUTS = ("mkdocs.yml", "docs", "src/crsvdata", "schemas", "examples", "CHANGELOG.md", "pyproject.toml")
"""What the build reads: mkdocs.yml, its docs_dir and hooks, and its ``watch`` list."""


def _newest_input() -> tuple[float, Path]:
    newest = (0.0, ROOT / "mkdocs.yml")
    for name in BUILD_INPUTS:
        top = ROOT / name
        for path in [top] if top.is_file() else top.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
                newest = max(newest, (path.stat().st_mtime, path))
    return newest


def _provided_site(folder: str) -> Path:
    """The site built by ``make docs-check``, after checking that no input changed since."""
    site = Path(folder).resolve()
    stamp = site / BUILD_STAMP
    if not stamp.is_file():
        pytest.fail(f"{BUILT_SITE_VARIABLE}={folder}: no {BUILD_STAMP}; build it with `make docs-check`")
    built, (changed, path) = stamp.stat().st_mtime, _newest_input()
    if changed > built:
        pytest.fail(
            f"{BUILT_SITE_VARIABLE}={folder} is stale: {path.relative_to(ROOT)} changed after the build; "
            "run `make docs-check` again, or unset the variable to build here"
        )
    return site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The built site, built once per run even when xdist workers share the tests of this module."""
    provided = os.environ.get(BUILT_SITE_VARIABLE)
    if provided:
        return _provided_site(provided)
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        folder = tmp_path_factory.mktemp("docs-site")
        _build(folder / "site")
        return folder / "site"
    shared = tmp_path_factory.getbasetemp().parent / f"docs-site-{workerinput['testrunuid']}"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (shared / "built").exists():
                _build(shared / "site")
                (shared / "built").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return shared / "site"


def test_a_provided_site_is_used_only_when_newer_than_every_input(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=re.escape(f"no {BUILD_STAMP}")):
        _provided_site(str(tmp_path))
    stamp = tmp_path / BUILD_STAMP
    stamp.touch()
    newest, _ = _newest_input()
    os.utime(stamp, (newest - 60, newest - 60))
    with pytest.raises(pytest.fail.Exception, match="is stale"):
        _provided_site(str(tmp_path))
    os.utime(stamp, (newest + 60, newest + 60))
    assert _provided_site(str(tmp_path)) == tmp_path.resolve()


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def test_every_schema_file_is_served_at_its_id(site: Path) -> None:
    schema_files = sorted(p for p in (ROOT / "schemas").rglob("*.schema.json"))
    assert schema_files
    for path in schema_files:
        schema_id = json.loads(path.read_text("utf-8"))["$id"]
        assert schema_id.startswith(SCHEMA_BASE_URL)
        served = site / "schemas" / schema_id.removeprefix(SCHEMA_BASE_URL)
        assert served.read_bytes() == path.read_bytes(), schema_id
    for path in (ROOT / "schemas").rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert (site / "schemas" / path.relative_to(ROOT / "schemas")).exists(), path


def test_record_pages_document_every_field(site: Path) -> None:
    for path in sorted((ROOT / "schemas" / STANDARD_VERSION).glob("*.schema.json")):
        name = path.name.removesuffix(".schema.json")
        schema = json.loads(path.read_text("utf-8"))
        page = _page(site, f"reference/schema/{name}")
        for field in schema["properties"]:
            assert f'id="{schema["title"].lower()}.{field}"' in page, (name, field)
    case_page = _page(site, "reference/schema/case-record")
    assert 'id="legalproceeding.erdr_number"' in case_page
    assert "../../codelists/form_of_violence/" in case_page


def test_every_code_list_has_an_english_and_a_ukrainian_page(site: Path) -> None:
    for name in codes.names():
        code_list = codes.load(name)
        english = _page(site, f"reference/codelists/{name}")
        ukrainian = _page(site, f"uk/reference/codelists/{name}")
        assert html.escape(code_list.title_en, quote=False) in english
        assert html.escape(code_list.title_uk, quote=False) in ukrainian
        for row in code_list:
            assert html.escape(row.label_uk, quote=False) in ukrainian, (name, row.code)
            assert html.escape(row.label_en, quote=False) in english, (name, row.code)


def test_crosswalk_columns_are_on_the_form_of_violence_page(site: Path) -> None:
    page = _page(site, "reference/codelists/form_of_violence")
    for column in ("ICC Elements of Crimes", "Criminal Code of Ukraine", "GBVIMS", "MRM", "RD4U", "HURIDOCS"):
        assert column in page
    assert "icc_eoc_crime/#code-7-1--g--1" in page


def test_issue_codes_page_lists_every_code(site: Path) -> None:
    page = _page(site, "reference/issues")
    for code, entry in ISSUE_CODES.items():
        assert f'id="{code}"' in page
        assert html.escape(entry.fix, quote=False) in page, code


def test_ukrainian_pages_exist_and_are_marked_ukrainian(site: Path) -> None:
    for path in ("uk", "uk/data-managers", "uk/data-managers/consent", "uk/reference/codelists"):
        page = _page(site, path)
        assert '<html lang="uk"' in page, path
    assert "Посібник для менеджерів даних" in _page(site, "uk/data-managers")


def test_generated_tables_replace_their_directives(site: Path) -> None:
    for path in ("data-managers/legal-qualifications", "uk/data-managers/consent", "data-managers/sharing"):
        page = _page(site, path)
        assert "crsvdata:" not in page, path
    assert "icc_eoc_crime/#code-7-1--g--1" in _page(site, "data-managers/legal-qualifications")


def test_search_index_holds_field_names_and_ukrainian_text(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    for term in ("survivor_ref", "erdr_number", "withdrawn_on", "Зґвалтування"):
        assert term in text, term


REPOSITORY_URL = "https://github.com/crsvdata/crsvdata"


def test_every_page_links_the_repository_without_calling_github(site: Path) -> None:
    for path in ("", "uk/", "integrators/", "uk/schema-browser/"):
        page = _page(site, path)
        assert f'href="{REPOSITORY_URL}"' in page, path
        # The theme's "source" component fetches stars and forks from api.github.com: it is left out.
        assert 'data-md-component="source"' not in page, path


def test_the_schema_browser_shows_every_field_in_both_languages(site: Path) -> None:
    for version in sorted(p.name for p in (ROOT / "schemas").iterdir() if p.is_dir()):
        schema = json.loads((ROOT / "schemas" / version / "case-record.schema.json").read_text("utf-8"))
        english = _page(site, f"schema-browser/{version}")
        ukrainian = _page(site, f"uk/schema-browser/{version}")
        for field in schema["properties"]:
            assert f"<summary><code>{field}</code>" in english, (version, field)
            assert f"<summary><code>{field}</code>" in ukrainian, (version, field)
        assert "<code>erdr_number</code>" in english  # a field nested three levels down
        assert "обов&#x27;язкове" in ukrainian or "обов'язкове" in ukrainian
        assert f"../../../schemas/{version}/case-record.schema.json" in ukrainian
        for page, prefix in ((english, ""), (ukrainian, "uk/")):
            for codelist in set(re.findall(r'href="\.\./\.\./reference/codelists/([a-z0-9_]+)/"', page)):
                assert (site / prefix / "reference" / "codelists" / codelist / "index.html").is_file(), (
                    codelist
                )
    released = (ROOT / "schemas" / "RELEASED").read_text("utf-8").split()
    versions = _page(site, "schema-browser")
    assert "1.0.0" in released
    assert "<strong>1.0.0</strong> (released, frozen)" in versions
    assert f"<strong>{STANDARD_VERSION}</strong> (in development)" in versions
    assert "у розробці" in _page(site, "uk/schema-browser")


def test_site_has_no_absolute_links_to_the_network_for_assets(site: Path) -> None:
    # Fonts and scripts must come from the site itself (offline build, offline reading).
    page = _page(site, "")
    assert "fonts.googleapis.com" not in page
    assert "fonts.gstatic.com" not in page


# --- the browser ---


class DevTools:
    """A minimal Chrome DevTools protocol client over one websocket (flattened target sessions)."""

    def __init__(self, connection: ClientConnection) -> None:
        self._socket = connection
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            reply = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_for(self, method: str, session: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(method)
            with contextlib.suppress(TimeoutError):
                self.events.append(json.loads(self._socket.recv(timeout=min(remaining, 0.5))))

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                self.events.append(json.loads(self._socket.recv(timeout=remaining)))

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluation failed: {result['exceptionDetails']}")
        return result["result"].get("value")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


SITE_PATH = urlsplit(SCHEMA_BASE_URL).path.removesuffix("schemas/")
"""The path the site is published under (``/crsvdata/``); served locally under it too, as in production."""


@contextlib.contextmanager
def _serve_site(site: Path) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="crsvdata-docs-root-") as root:
        mount = Path(root) / SITE_PATH.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site, target_is_directory=True)
        with _serve(Path(root)) as base:
            yield base.rstrip("/") + SITE_PATH


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextlib.contextmanager
def _browser() -> Iterator[DevTools]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="crsvdata-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--window-size=1280,900",
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the helpers it starts end with it
        )
        try:
            active = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not (active.exists() and len(active.read_text().splitlines()) >= 2):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("Chromium did not open its DevTools port")
                time.sleep(0.1)
            port, path = active.read_text().splitlines()[:2]
            with connect(f"ws://127.0.0.1:{port}{path}", max_size=64 * 1024 * 1024, open_timeout=10) as ws:
                yield DevTools(ws)
        finally:
            _end_group(process)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the browser we started and the helper processes of its group (by its group id only)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # wait for the helpers of the group to be gone too
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def _problems(events: list[dict[str, Any]], session: str) -> list[str]:
    """Console errors, uncaught exceptions and failed loads that a page reported."""
    found = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])
            )
            found.append(f"console.{params['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(
                f"exception: {details.get('exception', {}).get('description') or details.get('text')}"
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
    return found


def _open(
    browser: DevTools, url: str, settle: float = 1.0, width: int | None = None
) -> tuple[str, list[str]]:
    """Open ``url`` in a new tab (``width`` CSS pixels wide, as a phone when narrow); return the tab's
    session and every problem the page reported."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session=session)
    if width is not None:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
            session,
        )
    browser.send("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired", session, timeout=30)
    browser.drain(settle)
    screenshots = os.environ.get("CRSVDATA_DOCS_SCREENSHOTS")
    if screenshots:
        _screenshot(browser, session, Path(screenshots), _shot_name(url, width))
    return session, _problems(browser.events, session)


def _shot_name(url: str, width: int | None) -> str:
    name = url.split("/", 3)[-1].strip("/").replace("/", "_") or "home"
    return f"{name}@{width}" if width else name


def _screenshot(browser: DevTools, session: str, folder: Path, name: str) -> Path:
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    target.write_bytes(base64.b64decode(shot["data"]))
    return target


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); the browser checks need it",
)


@needs_chromium
def test_the_console_error_detector_catches_errors(tmp_path: Path) -> None:
    """Proof that the browser checks can fail: a deliberately broken page must be caught."""
    (tmp_path / "broken.html").write_text(
        "<!doctype html><html><head><title>broken</title>"
        '<script src="missing-script.js"></script></head><body>'
        "<script>console.error('deliberate console error')</script>"
        "<script>throw new Error('deliberate uncaught exception')</script>"
        "</body></html>",
        "utf-8",
    )
    (tmp_path / "clean.html").write_text(
        "<!doctype html><html><head><title>clean</title><link rel='icon' href='data:,'></head>"
        "<body><script>console.log('fine')</script></body></html>",
        "utf-8",
    )
    with _serve(tmp_path) as base, _browser() as browser:
        _, problems = _open(browser, base + "broken.html")
        _, clean = _open(browser, base + "clean.html")
    text = "\n".join(problems)
    assert "deliberate console error" in text
    assert "deliberate uncaught exception" in text
    assert "missing-script.js" in text
    assert clean == []


PAGES = (
    "",
    "uk/",
    "data-managers/",
    "reference/schema/case-record/",
    "reference/codelists/form_of_violence/",
    "uk/reference/codelists/sex/",
    "developers/api/models/",
)


@needs_chromium
def test_pages_load_without_console_errors(site: Path) -> None:
    with _serve_site(site) as base, _browser() as browser:
        for path in PAGES:
            session, problems = _open(browser, base + path)
            assert problems == [], f"{path}: {problems}"
            title = browser.evaluate(session, "document.title")
            assert "crsvdata" in title, (path, title)


SEARCH_SCRIPT = """
new Promise((resolve) => {
  // The theme reads the query on keyup, once its search worker has built the index. On a busy machine the
  // first keystrokes can be searched before the last ones arrive, so the query is re-announced (a keyup
  // with the full text) until the results show the term on the expected page or the time is up: results of
  // an earlier, shorter query can still be on screen and hold the term on other pages.
  const input = document.querySelector("[data-md-component=search-query]");
  const deadline = Date.now() + 30000;
  let nudged = Date.now();
  const poll = () => {
    const items = [...document.querySelectorAll(".md-search-result__item")];
    const hits = items.map((item) => ({
      text: item.textContent,
      href: (item.querySelector("a") || {}).href || "",
      query: input.value,
    }));
    const expected = (hit) => hit.text.toLowerCase().includes(TERM) && hit.href.includes(FOUND_IN);
    if (hits.some(expected) || Date.now() > deadline) {
      resolve(hits.length ? hits : [{text: "", href: "", query: input.value}]);
      return;
    }
    if (Date.now() - nudged > 1000) {
      nudged = Date.now();
      input.value = TERM;
      input.dispatchEvent(new KeyboardEvent("keyup", {key: "r", bubbles: true}));
    }
    setTimeout(poll, 200);
  };
  poll();
})
"""


@needs_chromium
@pytest.mark.parametrize(
    ("page", "term", "found_in"),
    [("", "erdr_number", "/reference/schema/"), ("uk/", "відкликання", "/uk/data-managers/consent/")],
    ids=["field-name", "ukrainian-word"],
)
def test_search_finds_a_field_name(site: Path, page: str, term: str, found_in: str) -> None:
    with _serve_site(site) as base, _browser() as browser:
        session, problems = _open(browser, base + page, settle=1.5)
        assert problems == []
        # The page's own code fetches the index it searches: it must hold the field.
        indexed = browser.evaluate(
            session,
            f"fetch('{'../' * page.count('/')}search/search_index.json').then(r => r.json())"
            f".then(i => i.docs.filter(d => d.text.includes({json.dumps(term)})).map(d => d.location))",
        )
        assert any(f"/{location}".startswith(found_in) for location in indexed), indexed
        # Type into the search box like a person, and read the results the theme shows.
        browser.evaluate(session, "document.querySelector('[data-md-component=search-query]').focus()")
        for char in term:
            browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "key": char}, session)
            browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": char}, session)
        hits = browser.evaluate(
            session, SEARCH_SCRIPT.replace("TERM", json.dumps(term)).replace("FOUND_IN", json.dumps(found_in))
        )
        assert any(term in hit["text"].lower() and found_in in hit["href"] for hit in hits), hits
        assert _problems(browser.events, session) == []


LAYOUT_SCRIPT = """
(() => {
  // Open every <details> (the schema browser's tree), so that what it holds is laid out and checked.
  document.querySelectorAll(".md-content details").forEach((d) => { d.open = true; });
  const found = [];
  const selector = ".md-content table code, .md-content .crsv-schema code";
  const codes = [...document.querySelectorAll(selector)];
  for (const code of codes) {
    // An inline code laid out on two lines has two client rectangles: it broke mid-word.
    if (code.getClientRects().length > 1) found.push("code wraps: " + code.textContent);
  }
  const blocks = [...document.querySelectorAll(".md-content pre")];
  for (const pre of blocks) {
    for (const box of [pre, pre.querySelector("code")].filter(Boolean)) {
      const overflow = getComputedStyle(box).overflowX;
      if (box.scrollWidth > box.clientWidth + 1 && !["auto", "scroll"].includes(overflow)) {
        found.push("code block clipped (overflow " + overflow + "): " + pre.textContent.slice(0, 60));
      }
    }
    const right = pre.getBoundingClientRect().right;
    if (right > document.documentElement.clientWidth + 1) {
      found.push("code block beyond the page (" + Math.round(right) + "px): " + pre.textContent.slice(0, 60));
    }
  }
  for (const table of document.querySelectorAll(".md-content table")) {
    const right = table.parentElement.getBoundingClientRect().right;
    if (right > document.documentElement.clientWidth + 1) found.push("table beyond the page");
  }
  const first = document.querySelector(".md-content table code, .md-content pre, .md-content .crsv-schema");
  if (first) first.scrollIntoView({block: "center"});
  return {found, codes: codes.length, blocks: blocks.length};
})()
"""

LAYOUT_PAGES = (
    # (path, what it must hold): a code list of long codes, wide code blocks, the schema browser.
    ("reference/codelists/form_of_violence/", "codes"),
    ("uk/reference/codelists/form_of_violence/", "codes"),
    ("integrators/", "blocks"),
    ("uk/integrators/", "blocks"),
    ("schema-browser/1.1.0/", "codes"),
    ("uk/schema-browser/1.1.0/", "codes"),
)
WIDTHS = {"desktop": 1280, "phone": 390}


@needs_chromium
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_codes_never_wrap_and_code_blocks_are_never_clipped(site: Path, tmp_path: Path, width: int) -> None:
    folder = Path(os.environ.get("CRSVDATA_DOCS_SCREENSHOTS") or tmp_path / "site-screenshots")
    with _serve_site(site) as base, _browser() as browser:
        for path, holds in LAYOUT_PAGES:
            session, problems = _open(browser, base + path, width=width)
            assert problems == [], f"{path}: {problems}"
            assert browser.evaluate(session, "window.innerWidth") == width
            layout = browser.evaluate(session, LAYOUT_SCRIPT)
            assert layout[holds] > 0, (path, layout)  # the page holds what it is here to check
            browser.drain(0.3)
            shot = _screenshot(browser, session, folder, _shot_name(base + path, width) + "-layout")
            assert shot.stat().st_size > 0
            assert layout["found"] == [], f"{path} at {width}px: {layout['found']}"


@needs_chromium
def test_the_layout_check_catches_a_wrapped_code_and_a_clipped_block(tmp_path: Path) -> None:
    """Proof that the layout check can fail: the faults of issue 12 rebuilt on a page of their own."""
    (tmp_path / "faults.html").write_text(
        "<!doctype html><html><head><title>faults</title><link rel='icon' href='data:,'></head><body>"
        "<div class='md-content'><table><tr><td style='width:40px'>"
        "<code style='word-break:break-all'>attempted_rape_long_code</code></td></tr></table>"
        "<pre style='overflow:hidden;width:100px'><code style='overflow:hidden'>"
        + "x" * 300
        + "</code></pre></div></body></html>",
        "utf-8",
    )
    with _serve(tmp_path) as base, _browser() as browser:
        session, _ = _open(browser, base + "faults.html", width=390)
        layout = browser.evaluate(session, LAYOUT_SCRIPT)
    text = "\n".join(layout["found"])
    assert "code wraps: attempted_rape_long_code" in text
    assert "code block clipped (overflow hidden)" in text
