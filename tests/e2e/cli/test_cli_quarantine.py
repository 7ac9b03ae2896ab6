"""The command line and the read models' health (issue 16, findings 1 and 5; ADR 0105):
`project`, `rebuild` and `status` report the events set aside, `verify --read-models` names each
served row that differs from a fresh projection, and an event altered after it was sealed is
quarantined by the projector instead of served."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from tests.builders import listed_factory
from tests.poison import record_undecodable
from tests.tampering import alter_one_byte, execute

runner = CliRunner()


def invoke(database_url: str, *arguments: str) -> tuple[int, str]:
    result = runner.invoke(app, list(arguments), env={"GREENLEDGER_DATABASE_URL": database_url})
    return result.exit_code, result.output


def test_project_rebuild_and_status_report_the_quarantined_positions_and_exit_0(
    sql_database_url: str,
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        bad = record_undecodable(ledger)
        listed_factory(ledger, "江苏随后一家有限公司")
        last = ledger.position

    projected = invoke(sql_database_url, "project")
    rebuilt = invoke(sql_database_url, "rebuild")
    status = invoke(sql_database_url, "status")

    for code, output in (projected, rebuilt):
        assert code == 0, output
        assert (
            f"已隔离 Quarantined 1 个事件 events (not applied; the others were): positions {bad}"
            in output
        )
        assert "cannot be decoded" in output
    assert f"读模型位置 Projections position: {last} / {last}" in projected[1]
    assert status[0] == 0, status[1]
    lines = {
        label.strip(): value.strip()
        for label, _, value in (line.rpartition("  ") for line in status[1].splitlines())
    }
    assert lines["已隔离事件 Quarantined events"] == f"1 ({bad})"


def test_verify_read_models_passes_on_read_models_the_events_make(sql_database_url: str) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
    assert invoke(sql_database_url, "project")[0] == 0

    code, output = invoke(sql_database_url, "verify", "--read-models")

    assert code == 0, output
    assert "读模型一致 Read models intact" in output


def test_verify_read_models_names_a_listing_row_altered_in_the_database(
    sql_database_url: str,
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        unit = listed_factory(ledger)
        listed_factory(ledger, "江苏随后一家有限公司")
    assert invoke(sql_database_url, "project")[0] == 0
    key = unit.listing_id.hex if sql_database_url.startswith("sqlite") else str(unit.listing_id)
    execute(
        sql_database_url,
        "UPDATE listings SET status = 'removed', name = '篡改后的名称' WHERE listing_id = ?",
        (key,),
    )

    code, output = invoke(sql_database_url, "verify", "--read-models")

    assert code == 1, output
    assert "读模型不一致 Read models differ: 1 行 rows differ" in output
    assert f"listings[listing_id={unit.listing_id}]" in output
    assert "status: served 'removed', events say 'listed'" in output
    assert "name: served '篡改后的名称', events say '江苏绿源钢铁有限公司'" in output


def test_an_event_altered_after_sealing_is_quarantined_by_the_rebuild_not_served(
    sql_database_url: str,
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        listed_factory(ledger, "江苏随后一家有限公司")
        altered = ledger.position
    assert invoke(sql_database_url, "project")[0] == 0  # projects and seals every event
    alter_one_byte(sql_database_url, altered)

    code, output = invoke(sql_database_url, "rebuild")

    assert code == 0, output
    assert f"positions {altered}" in output
    assert "differs from its sealed leaf" in output
    code, output = invoke(sql_database_url, "verify", "--read-models")
    assert code == 0, output  # the fresh projection sets the same event aside
