"""The validation cache: it saves time, never a check."""

from __future__ import annotations

import pytest

from osa_agreements.files import cache
from osa_agreements.files.json_schemas import schema_problems
from osa_agreements.files.yaml_files import load_yaml

INCOMPLETE = """\
id: consultation
title: Consultation
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OSA_CACHE_DIR", str(folder))
    return folder


def _problems(path, text):
    path.write_text(text, encoding="utf-8")
    return schema_problems(load_yaml(path), "clause.schema.json")


def test_data_that_failed_is_checked_again_every_time(tmp_path, cache_dir):
    clause = tmp_path / "consultation.yaml"
    first = _problems(clause, INCOMPLETE)
    assert first and _problems(clause, INCOMPLETE) == first
    assert list(cache_dir.rglob("*.*")) == [] and not list((cache_dir / "valid").glob("*"))


def test_an_edit_after_a_pass_is_validated_again(tmp_path, cache_dir, library):
    clause = tmp_path / "information-disclosure.yaml"
    valid = library["information-disclosure"].path.read_text(encoding="utf-8")
    assert _problems(clause, valid) == []
    assert len(list((cache_dir / "valid").iterdir())) == 1
    broken = valid.replace("mandatory: true", "mandatory: perhaps")
    assert broken != valid
    assert any("mandatory" in p for p in _problems(clause, broken))


def test_the_same_value_of_another_type_is_not_taken_for_a_pass(tmp_path, cache_dir, library):
    clause = tmp_path / "information-disclosure.yaml"
    valid = library["information-disclosure"].path.read_text(encoding="utf-8")
    assert _problems(clause, valid) == []
    quoted = valid.replace("mandatory: true", 'mandatory: "true"')
    assert any("mandatory" in p for p in _problems(clause, quoted))


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path, monkeypatch, library):
    monkeypatch.setenv("OSA_CACHE_DIR", "")
    assert cache.cache_dir() is None
    clause = tmp_path / "information-disclosure.yaml"
    assert _problems(clause, library["information-disclosure"].path.read_text(encoding="utf-8")) == []


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch, library):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("OSA_CACHE_DIR", str(blocker))
    clause = tmp_path / "information-disclosure.yaml"
    assert _problems(clause, library["information-disclosure"].path.read_text(encoding="utf-8")) == []
