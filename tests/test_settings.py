from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.errors import SettingsError
from storydesk.settings import Settings, dump_settings, load_settings


def test_settings_packaged_defaults_match_dataclass_defaults() -> None:
    # The TOML file and the dataclasses must not drift apart silently.
    assert load_settings() == Settings()


def test_settings_user_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[summarise]\nmax_sentences = 3\n[annotate]\nspacy_models = ["xx_model"]\n')
    settings = load_settings(user)
    assert settings.summarise.max_sentences == 3
    assert settings.annotate.spacy_models == ("xx_model",)
    assert settings.summarise.min_sentences == Settings().summarise.min_sentences
    assert settings.link == Settings().link


def test_settings_unknown_key_names_the_key_and_known_keys(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text("[summarise]\nmax_sentencez = 3\n")
    with pytest.raises(SettingsError, match=r"\[summarise\] max_sentencez.*max_sentences"):
        load_settings(user)


def test_settings_unknown_section_and_wrong_type_are_errors(tmp_path: Path) -> None:
    bad_section = tmp_path / "a.toml"
    bad_section.write_text("[sumarise]\nmax_sentences = 3\n")
    with pytest.raises(SettingsError, match="unknown settings section"):
        load_settings(bad_section)
    bad_type = tmp_path / "b.toml"
    bad_type.write_text('[summarise]\nmax_sentences = "seven"\n')
    with pytest.raises(SettingsError, match="whole number"):
        load_settings(bad_type)


def test_settings_missing_or_invalid_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[summarise\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(broken)


def test_settings_dump_round_trips(tmp_path: Path) -> None:
    settings = load_settings(overrides={"group": {"mode": "cluster"}, "serve": {"port": 9000}})
    path = tmp_path / "resolved.toml"
    path.write_text(dump_settings(settings))
    assert load_settings(path) == settings
