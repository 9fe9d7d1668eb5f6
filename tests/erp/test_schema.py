"""The OpenAPI schema builds without a warning, and the interactive docs are served from
our own static files (no CDN)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

URL = re.compile(r"""https?://([^/"'\s)>]+)""")


def test_schema_builds_valid_without_warnings(tmp_path, capsys):
    target = tmp_path / "schema.yaml"
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    except CommandError as failure:
        captured = capsys.readouterr()
        pytest.fail(f"{failure}\n{captured.out}\n{captured.err}")
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/items/{code}/", "/api/v1/bom-lines/{id}/", "/api/v1/customers/"):
        assert path in schema["paths"], path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.django_db
def test_schema_endpoint_answers(client, make_user):
    client.force_login(make_user("sales"))
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/items/" in response.content


@pytest.mark.django_db
def test_docs_render_swagger_ui_from_our_static_files(client, make_user):
    client.force_login(make_user("warehouse"))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    hosts = set(URL.findall(html))
    assert hosts <= {"testserver"}, hosts
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert not [a for a in assets if a.startswith("//")], assets
    sidecar = [a for a in assets if "drf_spectacular_sidecar" in a]
    assert len(sidecar) >= 3, assets  # the CSS and the two bundles
    for asset in sidecar:
        relative = asset.split("/static/", 1)[1]
        assert finders.find(relative), asset
