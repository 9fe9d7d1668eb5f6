"""Content-Security-Policy and Permissions-Policy on every answer; templates that keep to
the policy; and `check --deploy` clean with the environment docker-compose.yml gives."""

import re
import secrets
from pathlib import Path

import pytest
import yaml
from django.test import override_settings

from erp.security import CONTENT_SECURITY_POLICY
from tests.erp.test_platform import run_manage

ROOT = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/orders/", "/api/v1/items/"])
def test_pages_and_the_api_carry_both_headers(client, make_user, url):
    client.force_login(make_user("sales"))
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    features = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in features


@pytest.mark.django_db
def test_report_only_when_asked(client):
    with override_settings(CSP_REPORT_ONLY=True):
        response = client.get("/accounts/login/")
    assert response["Content-Security-Policy-Report-Only"] == CONTENT_SECURITY_POLICY
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_the_api_docs_keep_to_the_policy(client, make_user):
    client.force_login(make_user("warehouse"))
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html) and "<style" not in html
    script = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html)
    assert script, html
    init = client.get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def test_no_template_needs_an_inline_script_handler_or_style_block():
    """The policy refuses them in the browser, silently: a button would just stop working."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group(0).count("\n"), text)  # comments
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on...= handler", INLINE_HANDLER),
            ("<style> block", re.compile(r"<style[\s>]", re.I)),
            ("javascript: URL", re.compile(r"""=\s*["']javascript:""", re.I)),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not found, "\n".join(found)


def compose_environment() -> dict[str, str]:
    """The web container's environment as docker compose resolves it with no .env but a
    secret key: ${VAR:-default} takes the default."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = {}
    for name, value in compose["x-app"]["environment"].items():
        value = str(value)
        value = re.sub(r"\$\{([A-Z_]+):\?[^}]*\}", lambda m: "${" + m.group(1) + "}", value)
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
        env[name] = value
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    assert not any("${" in v for v in env.values()), env
    return env


def test_check_deploy_passes_with_the_compose_environment():
    env = compose_environment()
    assert env["DJANGO_DEBUG"] == "0" and env["DJANGO_SECURE_SSL_REDIRECT"] == "1"
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SETTINGS_MODULE="erp.settings", **env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_behind_a_tls_proxy_the_forwarded_scheme_counts():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
        **{**compose_environment(), "DJANGO_SETTINGS_MODULE": "erp.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https') True True" in result.stdout
