"""A lost race answers 409 with `retry`; what it says was written must be true: nothing for a
single command, the chunks saved before for work saved a chunk at a time (an import)."""

from __future__ import annotations

from api.http.errors import ledger_problem
from api.http.schemas.problems import Problem
from domain.errors import ConcurrentWriteError, ImportOvertakenError


def details(problem: Problem) -> tuple[str, str]:
    assert problem.zh is not None
    assert problem.en is not None
    return problem.zh.detail, problem.en.detail


def test_a_single_commands_lost_race_says_nothing_was_written() -> None:
    problem = ledger_problem(ConcurrentWriteError())
    zh, en = details(problem)

    assert problem.status == 409
    assert zh == "另一命令同时修改了同一记录，未写入任何内容，请重试"
    assert "nothing was written" in en
    assert problem.conflict is not None
    assert problem.conflict.retry


def test_an_imports_lost_chunk_says_the_chunks_before_it_stay_saved() -> None:
    problem = ledger_problem(ImportOvertakenError())
    zh, en = details(problem)

    assert problem.status == 409
    assert "此前已分批保存的部分（如有）保留" in zh
    assert "未写入任何内容" not in zh
    assert "any chunks saved before this one stay saved" in en
    assert "nothing was written" not in en
    assert problem.conflict is not None
    assert problem.conflict.retry
