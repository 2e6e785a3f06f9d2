"""`mkdocs serve` keeps serving with bad data, shows a problems page, and rebuilds on YAML edits."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from .conftest import HandbookDir, clean_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, check: Callable[[int, str], bool], seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, body = _get(url)
        if check(status, body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.3)


def test_serve_shows_problems_and_reloads_on_yaml_changes(site: HandbookDir) -> None:
    good = site.contact("good", "name: Good Person\n")
    bad = site.contact("bad", "name: Bad Person\nstage: sleeping\n")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site.root, env=clean_env(HANDBOOK_TODAY="2026-03-01"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        status, problems = _wait_for(f"{base}/problems/", lambda s, _: s == 200)
        assert status == 200, "serve did not come up with a problems page"
        assert "handbook/contacts/bad.yml:2:8" in problems
        assert "is not a valid" in problems
        status, dashboard = _get(f"{base}/dashboard/")
        assert status == 200 and "1 problem in your notes" in dashboard and 'href="../problems/"' in dashboard
        assert _get(f"{base}/people/good/")[0] == 200

        time.sleep(1.1)  # let the file's modification time move on
        good.write_text("name: Renamed Person\n", encoding="utf-8")
        status, page = _wait_for(f"{base}/people/good/", lambda s, body: "Renamed Person" in body)
        assert "Renamed Person" in page, "serve did not rebuild after a YAML change"

        bad.write_text("name: Bad Person\nstage: active\n", encoding="utf-8")
        status, _ = _wait_for(f"{base}/problems/", lambda s, _: s == 404)
        assert status == 404, "the problems page should go once the problem is fixed"
        assert _get(f"{base}/people/bad/")[0] == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "handbook/contacts/bad.yml:2:8: error:" in output  # also told in the terminal
    assert "Traceback" not in output
