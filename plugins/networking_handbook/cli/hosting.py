"""Publishing: `lock` (the hash-pinned requirements) and `audit` (a built site's leaks)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from ..core.diagnostics import has_errors
from ..core.site_config import read_site_config
from ..edit.safe_write import write_atomically
from ..hosting.audit import audit_site
from ..hosting.encryption import ENCRYPT_PLUGIN
from ..hosting.lock import HOSTING_PYTHON, lock_site, requirements_text
from .workspace import (
    config_option,
    find_links_option,
    links_inside,
    locate_config,
    open_workspace,
    print_diagnostics,
    user_errors,
)


@click.command()
@config_option
@find_links_option("A folder inside the site's folder is also written into the file, for CI.")
@click.option("--with", "extra", multiple=True, metavar="PACKAGE",
              help="Another installed package to lock, one that provides no plugin mkdocs.yml names.")
@click.option("--python", "python_version", default=HOSTING_PYTHON, show_default=True, metavar="X.Y",
              help="Your CI's Python (`python-version:` in the workflow, the GitLab image).")
def lock(config: Path | None, find_links: tuple[Path, ...], extra: tuple[str, ...], python_version: str) -> None:
    """Rewrite requirements.txt (beside mkdocs.yml): exactly what is installed here, with hashes.

    The tool, the packages of every plugin mkdocs.yml names, and all they require, each at the
    version installed beside this tool, with the sha256 of the wheel pip picks for CPython
    X.Y on Linux (and for this machine), so CI installs what you ran and nothing else."""
    if not re.fullmatch(r"3\.\d{1,2}", python_version):
        raise click.BadParameter(f"`{python_version}` is not a Python version such as {HOSTING_PYTHON}",
                                 param_hint="--python")
    cwd = Path.cwd()
    config_path = locate_config(config, cwd)
    site, diagnostics = read_site_config(config_path, os.path.relpath(config_path, cwd))
    if has_errors(diagnostics):
        raise click.ClickException("\n".join(d.format() for d in diagnostics))
    target = config_path.parent / "requirements.txt"
    before = target.read_bytes() if target.exists() else None
    click.echo(f"Locking {len(site.plugins)} plugins and their requirements (pip fetches the wheels to hash them)...",
               err=True)
    with user_errors():
        pins = lock_site(site.plugins, extra=extra, python_version=python_version,
                         find_links=[str(link) for link in find_links])
    text = requirements_text(pins, python_version=python_version,
                             find_links=links_inside(find_links, config_path.parent))
    display = os.path.relpath(target, cwd)
    with user_errors():
        write_atomically(target, text.encode("utf-8"), expected=before, display=display, replace_new=True)
    click.echo(f"wrote {display}: {len(pins)} packages pinned with hashes; commit it", err=True)


@click.command()
@config_option
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--encrypted/--not-encrypted", default=None,
              help="Also treat every email and phone as secret, and every name, slug and tag outside the "
                   "ciphertext (default: when mkdocs.yml uses encryptcontent).")
@click.option("--theme-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The templates folder of the theme that built the site, when it is not the installed "
                   "mkdocs-material (Zensical: its package's `templates` folder): its own scripts are allowed.")
def audit(config: Path | None, site_dir: Path, encrypted: bool | None, theme_dir: Path | None) -> None:
    """Scan a built site for leaks: private notes, sitemaps, sources, external fetches, live HTML."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: the audit needs every contact's private text")
    if encrypted is None:
        encrypted = ENCRYPT_PLUGIN in workspace.site.plugins
    findings = audit_site(site_dir, workspace.handbook, encrypted=encrypted, theme_dir=theme_dir)
    for finding in findings:
        click.echo(f"{site_dir / finding.path}: {finding.kind}: {finding.detail}")
    files = sum(1 for path in site_dir.rglob("*") if path.is_file())
    mode = "encrypted site" if encrypted else "site"
    click.echo(f"{files} files of the {mode} audited: {len(findings)} finding{'s' * (len(findings) != 1)}", err=True)
    sys.exit(1 if findings else 0)
