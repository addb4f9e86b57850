"""``bot.updates.repeats``: the updates the loop holds leave a getUpdates answer before PTB
parses it; anything else passes untouched."""

from __future__ import annotations

import json

from bot.updates.repeats import Repeats


def answer(*ids: int) -> bytes:
    return json.dumps({"ok": True, "result": [
        {"update_id": i, "message": {"text": "📍 Kedoya Utara"}} for i in ids]}).encode()


def test_known_updates_are_taken_out_and_counted() -> None:
    repeats = Repeats()
    repeats.known = {10, 11}.__contains__
    body = json.loads(repeats.strip(answer(10, 11, 12, 13)))
    assert [u["update_id"] for u in body["result"]] == [12, 13]
    assert body["result"][0]["message"]["text"] == "📍 Kedoya Utara"
    assert repeats.dropped == 2


def test_an_answer_of_repeats_only_is_not_an_empty_one() -> None:
    repeats = Repeats()
    repeats.known = {10, 11}.__contains__
    assert json.loads(repeats.strip(answer(10, 11)))["result"] == []
    assert repeats.dropped == 2  # the loop tells it from an empty answer by this


def test_nothing_known_leaves_the_body_as_it_came() -> None:
    repeats = Repeats()
    repeats.dropped = 5  # from the answer before
    body = answer(12, 13)
    assert repeats.strip(body) is body
    assert repeats.dropped == 0


def test_errors_and_odd_bodies_pass_untouched() -> None:
    repeats = Repeats()
    repeats.known = lambda update_id: True
    for body in (b'{"ok": false, "error_code": 409, "description": "Conflict"}',
                 b"<html>502 Bad Gateway</html>", b'{"ok": true, "result": true}',
                 b'[1, 2]'):
        assert repeats.strip(body) is body
        assert repeats.dropped == 0
    odd = json.dumps({"ok": True, "result": [{"update_id": "10"}, 7]}).encode()
    assert repeats.strip(odd) is odd  # not an update id PTB would accept: PTB decides
