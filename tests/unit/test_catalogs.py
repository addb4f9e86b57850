"""The text catalogs (``bot.texts``): each feature module says every text in both languages."""

from __future__ import annotations

import pkgutil
import re
from string import Formatter
from types import ModuleType

import pytest

import bot.texts
from bot.texts import CATALOGS, FEATURES, build_catalogs


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def _feature(name: str, texts: dict[str, str]) -> ModuleType:
    module = ModuleType(f"bot.texts.{name}")
    vars(module).update(ID=texts, EN=texts)
    return module


def test_every_module_of_the_package_is_merged() -> None:
    # A module left out of FEATURES would hold texts that ``t`` can never find.
    modules = {f"bot.texts.{m.name}" for m in pkgutil.iter_modules(bot.texts.__path__)}
    assert modules == {feature.__name__ for feature in FEATURES}


@pytest.mark.parametrize("feature", FEATURES, ids=lambda f: f.__name__)
def test_each_key_exists_in_both_languages(feature: ModuleType) -> None:
    assert sorted(feature.ID.keys() - feature.EN.keys()) == [], "missing in EN"
    assert sorted(feature.EN.keys() - feature.ID.keys()) == [], "missing in ID"


def test_a_key_defined_by_two_features_is_refused_by_name() -> None:
    # ``bot.texts`` merges with this at import, so a clash in the real modules fails every test.
    first = _feature("first", {"a.one": "1", "a.twice": "x"})
    second = _feature("second", {"a.twice": "y"})
    clash = "text key 'a.twice' is defined in both bot.texts.first and bot.texts.second"
    with pytest.raises(ValueError, match=re.escape(clash)):
        build_catalogs((first, second))


def test_placeholders_are_the_same_in_both_languages() -> None:
    indonesian, english = CATALOGS["id"], CATALOGS["en"]
    differ = {key: (_placeholders(text), _placeholders(english[key]))
              for key, text in indonesian.items() if key in english}
    assert {key: pair for key, pair in differ.items() if pair[0] != pair[1]} == {}


def test_texts_chosen_by_value_exist() -> None:
    """Keys built from stored values: a member's notice per change and role, and the role
    names the member and invite lists show."""
    for lang in ("id", "en"):
        catalog = CATALOGS[lang]
        for change in ("moved", "removed", "role"):
            assert f"member.notice.{change}" in catalog
        for role in ("officer", "supervisor"):
            assert f"role.{role}" in catalog
