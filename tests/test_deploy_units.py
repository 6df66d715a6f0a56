"""The systemd units, users and PAM service under deploy/: checked by systemd's own tools in a
temporary root (no running systemd needed), and against what the project promises IT staff."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SYSTEM_UNITS = Path("/usr/lib/systemd/system")
ANALYZE = shutil.which("systemd-analyze")
SYSUSERS = shutil.which("systemd-sysusers")
VENV_BIN = Path(sys.executable).parent

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "SystemCallArchitectures": "native",
    "CapabilityBoundingSet": "",
}


def unit(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def executables(path: Path) -> list[str]:
    """The programs the unit starts: the first word of ExecStart (and of cage's client)."""
    words = unit(path)["Service"]["ExecStart"].split()
    found = [words[0]]
    if "--" in words:
        found.append(words[words.index("--") + 1])
    return found


def test_every_service_is_installed_as_promised() -> None:
    assert [p.name for p in UNITS] == ["hall-centre.service", "hall-display.service", "hall-kiosk.service"]
    for path in UNITS:
        service = unit(path)["Service"]
        assert service["User"] not in ("", "root") and service["Restart"] == "always", path.name
        assert service["StateDirectory"] == service["User"], path.name  # the display shares the kiosk's
        assert service["UMask"] == "0027", path.name
        wrong = {key: service.get(key) for key, value in HARDENING.items() if service.get(key) != value}
        assert wrong == {}, path.name
    for name in ("hall-kiosk", "hall-display"):  # frame loops: readiness and a watchdog
        service = unit(DEPLOY / "systemd" / f"{name}.service")["Service"]
        assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    kiosk = unit(DEPLOY / "systemd" / "hall-kiosk.service")["Service"]
    assert kiosk["NotifyAccess"] == "all"  # hall-kiosk is cage's child
    assert executables(DEPLOY / "systemd" / "hall-kiosk.service") == [
        "/usr/bin/cage",
        "/opt/hall-kiosk/bin/hall-kiosk",
    ]
    assert " -s " not in f" {kiosk['ExecStart']} "  # no VT switching out of the kiosk
    centre = unit(DEPLOY / "systemd" / "hall-centre.service")["Service"]
    assert (
        centre["ExecStart"] == "/opt/hall-kiosk/bin/hall-centre serve --config /etc/hall-centre/centre.toml"
    )
    assert centre["User"] == "hall-centre"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A file-system root holding systemd's own units, ours, and the programs they start."""
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for path in UNITS:
        shutil.copy(path, root / "etc/systemd/system" / path.name)
        for program in executables(path):
            target = root / program.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            installed = VENV_BIN / Path(program).name
            if program.startswith("/opt/hall-kiosk/bin/") and installed.exists():
                shutil.copy(installed, target)  # the console script pip installs
            elif Path(program).exists():
                shutil.copy(program, target)
            else:
                # hall-centre is not part of this checkout yet, cage may not be installed here:
                # an executable stands in, since verify checks that the program can be run.
                target.write_text("#!/bin/sh\nexit 0\n")
            target.chmod(0o755)
    return root


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)")
def test_systemd_analyze_verify_finds_nothing_to_complain_about(root: Path) -> None:
    assert ANALYZE is not None
    names = [path.name for path in UNITS]
    run = subprocess.run(
        [ANALYZE, "verify", "--man=no", f"--root={root}", *names],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)")
def test_verify_would_catch_a_mistake(root: Path) -> None:
    """The check above can fail: a misspelt option and a missing program are both reported."""
    assert ANALYZE is not None
    broken = root / "etc/systemd/system/hall-display.service"
    broken.write_text(broken.read_text().replace("ProtectHome=yes", "ProtectHom=yes"))
    (root / "opt/hall-kiosk/bin/hall-display").unlink()
    run = subprocess.run(
        [ANALYZE, "verify", "--man=no", f"--root={root}", "hall-display.service"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "ProtectHom" in run.stderr and "hall-display is not executable" in run.stderr


@pytest.mark.skipif(SYSUSERS is None, reason="systemd-sysusers is not installed (apt-get install systemd)")
def test_sysusers_creates_the_unprivileged_users(tmp_path: Path) -> None:
    assert SYSUSERS is not None
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    config = DEPLOY / "sysusers.d" / "hall-kiosk.conf"
    run = subprocess.run(
        [SYSUSERS, f"--root={root}", str(config)], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    users = {line.split(":")[0]: line.split(":") for line in (root / "etc/passwd").read_text().splitlines()}
    assert users["hall-kiosk"][5] == "/var/lib/hall-kiosk" and int(users["hall-kiosk"][2]) < 1000
    assert users["hall-centre"][5] == "/var/lib/hall-centre"
    assert users["hall-kiosk"][6] in ("/usr/sbin/nologin", "/sbin/nologin")
    groups = {
        line.split(":")[0]: line.split(":")[3] for line in (root / "etc/group").read_text().splitlines()
    }
    assert all("hall-kiosk" in groups[name].split(",") for name in ("video", "render", "input"))


def test_the_pam_service_includes_only_what_debian_ships() -> None:
    lines = [line.split() for line in (DEPLOY / "pam.d" / "hall-kiosk").read_text().splitlines()]
    rules = [words for words in lines if words and not words[0].startswith("#")]
    assert ["auth", "required", "pam_deny.so"] in rules  # nobody can authenticate through it
    for _kind, control, target in rules:
        if control == "include":
            assert Path("/etc/pam.d", target).is_file(), target
