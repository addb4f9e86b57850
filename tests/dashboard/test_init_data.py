"""The Mini App's ``initData``, validated exactly as Telegram documents it: a vector signed
here by the documented algorithm passes; tampered, foreign, old or unsigned ones do not."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from bot.dashboard.auth import init_data_user
from tests.support.settings import TOKEN

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
USER = {"id": 802, "first_name": "Camat", "last_name": "Cengkareng", "language_code": "id"}


def signed(fields: dict[str, str], token: str = TOKEN) -> str:
    """``initData`` as Telegram builds it: the data-check string (fields sorted by key,
    ``key=value`` joined by newlines) signed with HMAC-SHA256 under the key
    HMAC-SHA256(key "WebAppData", message bot token), as hex in ``hash``."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def fields(at: datetime = NOW) -> dict[str, str]:
    return {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(USER),
            "auth_date": str(int(at.timestamp()))}


def test_a_vector_signed_as_documented_names_its_user() -> None:
    assert init_data_user(signed(fields()), TOKEN, NOW) == 802
    # Still valid a little under a day later.
    assert init_data_user(signed(fields()), TOKEN, NOW + timedelta(hours=23)) == 802


def test_the_documented_secret_is_not_the_token_itself() -> None:
    # A signature made with the token as key (the Login Widget's scheme) is not accepted.
    data = fields()
    check = "\n".join(f"{key}={data[key]}" for key in sorted(data))
    wrong = hmac.new(hashlib.sha256(TOKEN.encode()).digest(), check.encode(),
                     hashlib.sha256).hexdigest()
    assert init_data_user(urlencode({**data, "hash": wrong}), TOKEN, NOW) is None


def test_a_tampered_field_is_refused() -> None:
    good = signed(fields())
    forged = good.replace("802", "9001")
    assert forged != good
    assert init_data_user(forged, TOKEN, NOW) is None


def test_another_bots_signature_is_refused() -> None:
    assert init_data_user(signed(fields(), token="654321:OTHER-token"), TOKEN, NOW) is None


def test_older_than_a_day_is_refused() -> None:
    old = signed(fields(NOW - timedelta(days=1, seconds=1)))
    assert init_data_user(old, TOKEN, NOW) is None


def test_from_the_future_is_refused() -> None:
    assert init_data_user(signed(fields(NOW + timedelta(hours=1))), TOKEN, NOW) is None


def test_garbage_and_missing_parts_are_refused() -> None:
    assert init_data_user("", TOKEN, NOW) is None
    assert init_data_user("%%%", TOKEN, NOW) is None
    without_hash = urlencode(fields())
    assert init_data_user(without_hash, TOKEN, NOW) is None
    no_user = {k: v for k, v in fields().items() if k != "user"}
    assert init_data_user(signed(no_user), TOKEN, NOW) is None
