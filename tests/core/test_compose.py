"""docker-compose.yml: the five services and the optional replica, each with a healthcheck, sharing one .env."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_declares_services_with_healthchecks():
    spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = spec["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "replica"}
    assert services["replica"]["profiles"] == ["replica"]  # optional: only with --profile replica
    assert "pg_basebackup" in services["replica"]["command"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    for name in ("web", "worker", "beat"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn" in services["web"]["command"]
    assert "DatabaseScheduler" in services["beat"]["command"]


def test_every_env_variable_the_settings_read_is_documented():
    import re

    settings_text = (ROOT / "asnportal" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:bool|int|choice|list|url)\(\s*"([A-Z_]+)"', settings_text))
    read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', settings_text))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set(), f"undocumented: {sorted(read - documented)}"


@pytest.mark.skipif(not shutil.which("docker"), reason="no docker client on this machine")
def test_docker_compose_config_is_valid(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker client has no compose plugin here")
    (ROOT / ".env").touch(exist_ok=True)
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
