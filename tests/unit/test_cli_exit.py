"""`radar` ends without the interpreter's last full garbage collections (issue 15): the
objects alive when a command ends are frozen, whichever way it ends."""

from __future__ import annotations

import gc
import sys

import pytest

from radar.cli import main


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["radar", "--version"], None), (["radar", "--no-such-option"], 2)],
    ids=["done", "usage error"],
)
def test_main_freezes_the_objects_alive_as_the_command_ends(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], code: int | None
) -> None:
    gc.unfreeze()
    monkeypatch.setattr(sys, "argv", argv)
    if code is None:
        main()
    else:
        with pytest.raises(SystemExit) as ended:
            main()
        assert ended.value.code == code
    assert gc.get_freeze_count() > 0
