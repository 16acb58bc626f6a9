"""The configured theme: the start-up check on its files, and the page frame that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.templatetags.static import static
from django.test import Client, override_settings

from keten.conf.env import DEFAULT_THEME_FONTS, DEFAULT_THEME_STYLESHEETS
from keten.core.theme import check_theme

MISSING = "vendor/@gemeente-nergens/tokens/dist/theme.css"


def _ids(errors: list[Error]) -> list[str]:
    return [error.id or "" for error in errors]


@pytest.fixture
def static_dir(tmp_path: Path) -> Path:
    """An extra static directory (as a deployment's own theme package would be) for the finders."""
    root = tmp_path / "static"
    (root / "gemeente" / "fonts").mkdir(parents=True)
    return root


def test_the_defaults_pass() -> None:
    assert tuple(DEFAULT_THEME_STYLESHEETS)
    assert any("@fontsource/noto-sans/" in path for path in DEFAULT_THEME_FONTS)
    assert check_theme() == []


@override_settings(KETEN_THEME_STYLESHEETS=[MISSING])
def test_a_missing_theme_stylesheet_is_an_error_naming_setting_and_path() -> None:
    errors = check_theme()
    assert _ids(errors) == ["keten.E001"]
    assert "KETEN_THEME_STYLESHEETS" in errors[0].msg
    assert MISSING in errors[0].msg


@override_settings(KETEN_THEME_STYLESHEETS=[])
def test_no_theme_stylesheet_at_all_is_an_error() -> None:
    errors = check_theme()
    assert _ids(errors) == ["keten.E001"]
    assert "KETEN_THEME_STYLESHEETS is empty" in errors[0].msg


@override_settings(KETEN_THEME_FONTS=["vendor/@fontsource/noto-sans/latin-450.css"])
def test_a_missing_font_stylesheet_is_an_error() -> None:
    errors = check_theme()
    assert _ids(errors) == ["keten.E003"]
    assert "KETEN_THEME_FONTS" in errors[0].msg
    assert "vendor/@fontsource/noto-sans/latin-450.css" in errors[0].msg


def test_a_font_file_the_stylesheet_names_must_exist(static_dir: Path) -> None:
    (static_dir / "gemeente" / "fonts.css").write_text(
        "@font-face { font-family: 'Gemeente Sans'; src: url(./fonts/sans.woff2) format('woff2'),"
        " url('fonts/sans.woff') format('woff'); }\n"
        ".x { background: url(data:image/png;base64,AAAA); }\n",
        encoding="utf-8",
    )
    (static_dir / "gemeente" / "fonts" / "sans.woff").write_bytes(b"wOFF")
    with override_settings(
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, static_dir], KETEN_THEME_FONTS=["gemeente/fonts.css"]
    ):
        errors = check_theme()
    assert _ids(errors) == ["keten.E004"]
    assert "'./fonts/sans.woff2'" in errors[0].msg
    assert "gemeente/fonts/sans.woff2" in errors[0].msg
    assert "KETEN_THEME_FONTS" in errors[0].msg

    (static_dir / "gemeente" / "fonts" / "sans.woff2").write_bytes(b"wOF2")
    with override_settings(
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, static_dir], KETEN_THEME_FONTS=["gemeente/fonts.css"]
    ):
        assert check_theme() == []


def test_a_stylesheet_that_loads_from_another_server_is_an_error(static_dir: Path) -> None:
    (static_dir / "gemeente" / "theme.css").write_text(
        "@import url('https://fonts.example.org/css?family=Sans');\n.gemeente-theme { --x: 1; }\n", encoding="utf-8"
    )
    with override_settings(
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, static_dir], KETEN_THEME_STYLESHEETS=["gemeente/theme.css"]
    ):
        errors = check_theme()
    assert _ids(errors) == ["keten.E005"]
    assert "https://fonts.example.org/css?family=Sans" in errors[0].msg


@override_settings(KETEN_GEMEENTE_LOGO="gemeente/logo.svg")
def test_a_missing_logo_is_an_error() -> None:
    errors = check_theme()
    assert _ids(errors) == ["keten.E002"]
    assert "KETEN_GEMEENTE_LOGO" in errors[0].msg
    assert "gemeente/logo.svg" in errors[0].msg


def test_a_logo_collected_into_static_root_passes(tmp_path: Path) -> None:
    (tmp_path / "gemeente").mkdir()
    (tmp_path / "gemeente" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    with override_settings(STATIC_ROOT=str(tmp_path), KETEN_GEMEENTE_LOGO="gemeente/logo.svg"):
        assert check_theme() == []
    with override_settings(STATIC_ROOT=str(tmp_path), KETEN_GEMEENTE_LOGO="gemeente/../../etc/passwd"):
        assert _ids(check_theme()) == ["keten.E002"]


@override_settings(KETEN_THEME_CLASS='voorbeeld-theme" onload="x')
def test_the_theme_class_must_be_one_class_name() -> None:
    errors = check_theme()
    assert _ids(errors) == ["keten.E006"]
    assert "KETEN_THEME_CLASS" in errors[0].msg


@override_settings(KETEN_THEME_STYLESHEETS=[MISSING])
def test_the_check_is_registered_and_stops_start_up() -> None:
    with pytest.raises(SystemCheckError, match=r"keten\.E001"):
        call_command("check")


@pytest.mark.django_db
def test_the_frame_uses_the_configured_theme_and_shows_the_gemeente(static_dir: Path) -> None:
    (static_dir / "gemeente" / "theme.css").write_text(".gemeente-theme { --basis-color: red; }\n", encoding="utf-8")
    (static_dir / "gemeente" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    with override_settings(
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, static_dir],
        KETEN_THEME_STYLESHEETS=["gemeente/theme.css"],
        KETEN_THEME_CLASS="gemeente-theme",
        KETEN_GEMEENTE_NAAM="Lindeveld",
        KETEN_GEMEENTE_LOGO="gemeente/logo.svg",
    ):
        assert check_theme() == []
        for path in ("/inloggen/", "/publiek/"):
            page = Client().get(path, follow=True).content.decode()
            assert '<link rel="stylesheet" href="/static/gemeente/theme.css">' in page, path
            assert "voorbeeld-design-tokens" not in page, path
            assert 'class="utrecht-root utrecht-body gemeente-theme utrecht-document"' in page, path
            assert 'src="/static/gemeente/logo.svg" alt="Logo gemeente Lindeveld"' in page, path
            assert '<span class="keten-brand__gemeente">Gemeente Lindeveld</span>' in page, path
            for font in DEFAULT_THEME_FONTS:
                assert f'href="{static(font)}"' in page, path


@pytest.mark.django_db
def test_the_default_frame_is_the_voorbeeld_theme_without_a_gemeente() -> None:
    page = Client().get("/inloggen/").content.decode()
    assert f'href="{static(DEFAULT_THEME_STYLESHEETS[0])}"' in page
    assert "utrecht-body voorbeeld-theme utrecht-document" in page
    assert "keten-brand__gemeente" not in page
    assert "keten-brand__logo" not in page
    assert 'href="#main">Direct naar de inhoud</a>' in page
