"""What docker-compose.yml and the Dockerfile promise, checked without Docker.

The files are parsed and held to their word: the services and their health checks, the start
order, every `GREENLEDGER_*` variable a setting, every `greenledger ...` command a command of the
CLI. Then the compose api service's own command runs here, against the test PostgreSQL database,
and must answer `/health`; and the projector service's command must keep the read models level
with the ledger until it is stopped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import typer
import yaml
from sqlalchemy.exc import SQLAlchemyError
from typer._click import Command, Context
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from api.cli import main as cli
from api.settings import Settings
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from readside.engine.database import Views
from tests.builders import register
from tests.paths import REPOSITORY

SETTINGS_PREFIX = "GREENLEDGER_"
#: `${NAME}`, `${NAME-default}` and `${NAME:-default}`, as compose interpolates them.
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\}")
READY_WITHIN_SECONDS = 60


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPOSITORY / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def service(name: str) -> dict[str, Any]:
    found = compose()["services"][name]
    assert isinstance(found, dict)
    return found


def interpolated(value: object) -> str:
    """The value as compose passes it when no variable is set: each `${...}` by its default."""
    return VARIABLE.sub(lambda match: match.group("default") or "", str(value))


def environment_of(name: str) -> dict[str, str]:
    environment = service(name).get("environment", {})
    assert isinstance(environment, dict), "environment is written as a mapping"
    return {key: interpolated(value) for key, value in environment.items()}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (REPOSITORY / "Dockerfile").read_text(encoding="utf-8")
    logical = re.sub(r"\\\n\s*", " ", text)
    instructions = []
    for line in logical.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile(keyword: str) -> list[str]:
    return [arguments for found, arguments in dockerfile_instructions() if found == keyword]


def dockerfile_command() -> list[str]:
    (command,) = dockerfile("CMD")
    parsed = json.loads(command)
    assert isinstance(parsed, list)
    return [str(part) for part in parsed]


def parse_command_line(command: Sequence[str]) -> Context:
    """Parse `greenledger ...` as the console script would, options and types included, without
    running it; a command or option the CLI does not have raises `UsageError`.

    Typer 0.29 vendors its own Click (`typer._click`): that parser is what the script runs.
    """
    program, *tokens = command
    if program != "greenledger":
        raise UsageError(f"{program!r} is not the greenledger console script")
    current: Command = typer.main.get_command(cli.app)
    parent: Context | None = None
    name = program
    while isinstance(current, TyperGroup):
        context = Context(current, info_name=name, parent=parent)
        if not tokens:
            raise UsageError(f"{name} needs a command", context)
        found_name, found, tokens = current.resolve_command(context, tokens)
        if found is None or found_name is None:
            raise UsageError(f"no command {tokens[0]!r}", context)
        name, current, parent = found_name, found, context
    return current.make_context(name, list(tokens), parent=parent)


def option_value(command: Sequence[str], option: str) -> str:
    return command[list(command).index(option) + 1]


def with_option(command: Sequence[str], option: str, value: str) -> list[str]:
    """The command with `option` set to `value` (replaced where given, appended otherwise)."""
    changed = list(command)
    if option in changed:
        changed[changed.index(option) + 1] = value
    else:
        changed += [option, value]
    return changed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# -- compose ------------------------------------------------------------------------------------


def test_compose_runs_the_api_a_projector_and_a_postgres_16_database() -> None:
    services = compose()["services"]
    always = {name for name, found in services.items() if "profiles" not in found}

    assert always == {"db", "api", "projector"}
    assert services["db"]["image"] == "postgres:16"
    assert services["api"]["build"] == "."


def test_compose_projector_runs_the_api_image_and_environment_once_the_db_is_healthy() -> None:
    api, projector = service("api"), service("projector")

    assert (projector["build"], projector["image"]) == (api["build"], api["image"])
    assert environment_of("projector") == environment_of("api")
    assert projector["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert projector["restart"] == "unless-stopped"


def test_compose_database_is_checked_with_pg_isready_and_kept_in_a_volume() -> None:
    db = service("db")
    volume, _, mount = db["volumes"][0].partition(":")

    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert mount == "/var/lib/postgresql/data"
    assert volume in compose()["volumes"]


def test_compose_starts_the_api_only_once_the_database_is_healthy() -> None:
    assert service("api")["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_api_health_check_asks_health_on_the_port_the_api_serves() -> None:
    api = service("api")
    port = option_value(api["command"], "--port")
    check = " ".join(api["healthcheck"]["test"])

    assert api["healthcheck"]["test"][0] == "CMD"
    assert f"http://127.0.0.1:{port}/health" in check
    assert f"127.0.0.1:{port}:{port}" in api["ports"]


def test_compose_replica_profile_streams_a_copy_of_db_and_serves_reads_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = compose()["services"]
    replica, reads = service("db-replica"), service("api-replica-reads")
    script = " ".join(replica["command"])
    allow = compose()["configs"]["allow-replication"]["content"]
    for name, value in environment_of("api-replica-reads").items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    read = urlsplit(str(settings.read_database_url))
    written = urlsplit(settings.database_url)

    assert {n for n, s in services.items() if "replica" in s.get("profiles", ())} == {
        "db-replica",
        "api-replica-reads",
    }
    assert replica["image"] == service("db")["image"]
    assert "pg_basebackup -h db -U greenledger" in script
    assert " -R " in script
    assert "hot_standby=on" in script
    assert replica["volumes"][0].split(":")[0] != service("db")["volumes"][0].split(":")[0]
    assert {c["target"] for c in service("db")["configs"]} == {
        "/docker-entrypoint-initdb.d/allow-replication.sh"
    }
    assert "host replication all all" in allow
    assert (read.hostname, written.hostname) == ("db-replica", "db")
    assert (read.username, read.password, read.path) == (
        written.username,
        written.password,
        written.path,
    )
    assert reads["depends_on"]["db-replica"] == {"condition": "service_healthy"}
    assert reads["command"] == service("api")["command"]


@pytest.mark.parametrize("name", ["api", "projector", "api-replica-reads"])
def test_every_greenledger_variable_compose_sets_is_a_setting(name: str) -> None:
    variables = [name for name in environment_of(name) if name.startswith(SETTINGS_PREFIX)]
    unknown = [
        name
        for name in variables
        if name[len(SETTINGS_PREFIX) :].lower() not in Settings.model_fields
    ]

    assert "GREENLEDGER_DATABASE_URL" in variables
    assert unknown == []


def test_compose_api_settings_are_valid_and_name_the_db_service_and_its_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in environment_of("api").items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    database = urlsplit(settings.database_url)
    db = environment_of("db")

    assert settings.database_kind == "postgres"
    assert database.hostname == "db"
    assert database.username == db["POSTGRES_USER"]
    assert database.password == db["POSTGRES_PASSWORD"]
    assert database.path == f"/{db['POSTGRES_DB']}"


# -- commands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(service("api")["command"], id="compose api"),
        pytest.param(dockerfile_command(), id="Dockerfile CMD"),
    ],
)
def test_the_deployed_command_is_a_command_of_the_cli(command: list[str]) -> None:
    parsed = parse_command_line(command)

    assert parsed.command.name == "serve"
    assert parsed.params == {
        "host": "0.0.0.0",
        "port": 8000,
        "demo_if_new": False,
        "workers": None,
    }


def test_the_compose_projector_command_follows_the_ledger() -> None:
    parsed = parse_command_line(service("projector")["command"])

    assert parsed.command.name == "project"
    assert parsed.params["follow"] is True


@pytest.mark.parametrize(
    "command",
    [
        ["greenledger", "serv"],
        ["greenledger", "serve", "--hots", "0.0.0.0"],
        ["greenledger", "serve", "--port", "eighty"],
        ["uvicorn", "api.http.app:create_app"],
    ],
)
def test_a_command_line_the_cli_does_not_accept_is_refused(command: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_command_line(command)


# -- Dockerfile ---------------------------------------------------------------------------------


def test_the_image_is_python_3_11_slim_and_runs_as_a_user_other_than_root() -> None:
    (user,) = dockerfile("USER")

    assert dockerfile("FROM") == ["python:3.11-slim"]
    assert user not in ("root", "0")


def test_the_image_health_check_asks_health_on_the_port_it_serves() -> None:
    (healthcheck,) = dockerfile("HEALTHCHECK")
    _, _, check = healthcheck.partition(" CMD ")
    port = option_value(dockerfile_command(), "--port")

    assert json.loads(check)[0] == "python"
    assert f"http://127.0.0.1:{port}/health" in check


# -- the compose api command, run here ----------------------------------------------------------


def test_the_compose_api_command_serves_health_on_the_test_postgres(
    postgres_url: str, tmp_path: Path
) -> None:
    with Ledger.open(postgres_url) as ledger:
        register(ledger)
        position = ledger.position
    port = free_port()
    command = with_option(service("api")["command"], "--host", "127.0.0.1")
    command = with_option(command, "--port", str(port))
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert executable is not None, f"{command[0]} is installed beside {sys.executable}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIX)}
    environment.update(environment_of("api"))
    environment["GREENLEDGER_DATABASE_URL"] = postgres_url
    log = tmp_path / "api.log"

    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, *command[1:]],
            env=environment,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            response = wait_for_health(process, f"http://127.0.0.1:{port}/health", log)
            checks = {name: run_health_check(test, port) for name, test in health_checks()}
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "postgres",
        "position": position,
        "projections_position": position,  # the API catches its read models up on start
        "projections_lag": 0,
        "quarantined": 0,
        "quarantined_positions": [],
    }
    assert position >= 1
    assert checks == {"compose api": 0, "Dockerfile": 0}


def test_the_compose_projector_command_keeps_the_read_models_level_until_stopped(
    postgres_url: str, tmp_path: Path
) -> None:
    command = service("projector")["command"]
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert executable is not None, f"{command[0]} is installed beside {sys.executable}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIX)}
    environment.update(environment_of("projector"))
    environment["GREENLEDGER_DATABASE_URL"] = postgres_url
    log = tmp_path / "projector.log"

    with Ledger.open(postgres_url) as ledger, log.open("wb") as output:
        register(ledger, "先登记的有限公司")
        process = subprocess.Popen(
            [executable, *command[1:]],
            env=environment,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            first = wait_for_projection(process, postgres_url, ledger.position, log)
            register(ledger, "后登记的有限公司")
            second = wait_for_projection(process, postgres_url, ledger.position, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    assert (first, second) == (1, 2)
    assert process.returncode == 0
    assert f"已停止 Stopped at position {second}" in log.read_text()


def wait_for_projection(
    process: subprocess.Popen[bytes], database_url: str, position: int, log: Path
) -> int:
    """The read models' position once it reached `position` (the worker must not die first)."""
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    views = Views(parse_database_url(database_url))
    try:
        while True:
            try:
                reached = views.position()
            except SQLAlchemyError:  # the worker has not created the tables yet
                reached = 0
            if reached >= position:
                return reached
            if time.monotonic() > deadline:
                pytest.fail(f"the projector did not reach {position}:\n" + log.read_text())
            try:
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the projector exited with {process.returncode}:\n" + log.read_text())
    finally:
        views.close()


def test_the_health_checks_fail_when_nothing_answers() -> None:
    port = free_port()

    checks = {name: run_health_check(test, port) for name, test in health_checks()}

    assert all(status != 0 for status in checks.values()), checks


def health_checks() -> list[tuple[str, list[str]]]:
    """The compose api health check and the image's, each as `["CMD", program, *arguments]`."""
    (image_check,) = dockerfile("HEALTHCHECK")
    _, _, image_command = image_check.partition(" CMD ")
    return [
        ("compose api", [str(part) for part in service("api")["healthcheck"]["test"]]),
        ("Dockerfile", ["CMD", *json.loads(image_command)]),
    ]


def run_health_check(test: list[str], port: int) -> int:
    """Run a health check here, as Docker would in the container: its exit status.

    `python` is this interpreter; the port the deployed command serves is replaced by `port`.
    """
    kind, program, *arguments = test
    assert (kind, program) == ("CMD", "python")
    served = f":{option_value(service('api')['command'], '--port')}/"
    arguments = [argument.replace(served, f":{port}/") for argument in arguments]
    environment = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    finished = subprocess.run(
        [sys.executable, *arguments], env=environment, capture_output=True, check=False, timeout=60
    )
    return finished.returncode


def wait_for_health(process: subprocess.Popen[bytes], url: str, log: Path) -> httpx.Response:
    """The first answer of `url`, waiting for the server to be ready (or to die) meanwhile."""
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    with httpx.Client(trust_env=False, timeout=10) as client:
        while True:
            try:
                return client.get(url)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"{url} did not answer within {READY_WITHIN_SECONDS} s:\n"
                        + log.read_text(errors="replace")
                    )
            try:
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(
                f"the api exited with status {process.returncode} before answering:\n"
                + log.read_text(errors="replace")
            )
