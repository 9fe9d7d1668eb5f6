"""Open every page a role can reach and say which ones break.

For each role: log in as its demo user, open the home page and every entry of the role's
menu, then every same-site link (`href`, `hx-get`) on those pages, two links deep. Only
GET. URLs are deduplicated by their URL pattern (at most `per_pattern` URLs per pattern, a
`?page=2` counts as its pattern), so the crawl stays bounded on any amount of data.

A page passes when it answers 200, a redirect to a same-site page, or a clean 403 (the
role may not open it). Anything else, above all a 500, is a failure carrying the
exception when there was one.

Used by tests/erp/test_crawl.py on PostgreSQL, and as a script on any database:

    DATABASE_URL=sqlite:////tmp/crawl.sqlite3 python -m tests.erp.crawl --migrate --load-demo

exits 1 and lists the failures when a page breaks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

OK_STATUSES = {200, 403}
REDIRECTS = {301, 302, 303, 307, 308}
# Never opened: leaving the session, the admin's delete and password-change pages (they
# are forms for a write, and the delete page walks every related row), static files.
SKIP_PREFIXES = ("/static/", "/media/", "/i18n/", "/logout", "/accounts/logout")
SKIP_PARTS = ("/delete/", "/password/", "/logout/")


@dataclass
class Visit:
    url: str
    status: int
    depth: int
    source: str
    seconds: float
    location: str = ""
    error: str = ""


@dataclass
class RoleCrawl:
    role: str
    username: str
    visits: list[Visit] = field(default_factory=list)
    skipped_by_pattern: int = 0

    @property
    def failures(self) -> list[Visit]:
        return [v for v in self.visits if not passes(v)]


def passes(visit: Visit) -> bool:
    if visit.status in OK_STATUSES:
        return True
    if visit.status in REDIRECTS:
        return bool(visit.location) and same_site(visit.location)
    return False


def same_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or name in ("hx-get", "data-hx-get")):
                self.links.append(value)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for raw in parser.links:
        raw = raw.strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        if "{" in raw:  # a template for a script to fill in
            continue
        url = urldefrag(urljoin(base, raw)).url
        if not same_site(url):
            continue
        parts = urlsplit(url)
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def describe(exc_info) -> str:
    """The exception, where in our code (or which template line) it came from."""
    _type, exc, tb = exc_info
    frames = [f for f in traceback.extract_tb(tb) if "site-packages" not in f.filename]
    where = [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-3:]]
    debug = getattr(exc, "template_debug", None)
    if debug:
        where.append(f"template {debug['name']} line {debug['line']}: {debug['during']}")
    return "\n".join([*where, f"{type(exc).__name__}: {exc}"])


def pattern_of(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return f"unresolved:{path}"
    return match.route or match.view_name or path


def skipped(path: str) -> bool:
    return path.startswith(SKIP_PREFIXES) or any(part in path for part in SKIP_PARTS)


def start_urls(user) -> list[str]:
    from django.urls import reverse

    from erp.navigation import menu_for

    urls = [reverse("home")]
    for section in menu_for(user):
        urls.extend(entry["url"] for entry in section["entries"])
    return urls


def crawl_user(
    user,
    *,
    role: str,
    depth: int = 2,
    per_pattern: int = 2,
    max_pages: int = 250,
) -> RoleCrawl:
    """Crawl as `user`: the menu (depth 0), its links (1), their links (2)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    result = RoleCrawl(role=role, username=user.get_username())
    seen: set[str] = set()
    per: Counter[str] = Counter()
    queue: deque[tuple[str, int, str]] = deque()

    def enqueue(url: str, level: int, source: str) -> None:
        if url in seen or skipped(urlsplit(url).path):
            return
        pattern = pattern_of(urlsplit(url).path)
        if per[pattern] >= per_pattern:
            result.skipped_by_pattern += 1
            return
        seen.add(url)
        per[pattern] += 1
        queue.append((url, level, source))

    for url in start_urls(user):
        enqueue(url, 0, "menu")
    while queue and len(result.visits) < max_pages:
        url, level, source = queue.popleft()
        started = time.monotonic()
        response = client.get(url)
        visit = Visit(
            url=url,
            status=response.status_code,
            depth=level,
            source=source,
            seconds=round(time.monotonic() - started, 3),
            location=response.get("Location", "") if response.status_code in REDIRECTS else "",
        )
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            visit.error = describe(exc_info)
        result.visits.append(visit)
        if visit.status in REDIRECTS and visit.location and same_site(visit.location):
            target = urlsplit(urljoin(url, visit.location))
            enqueue(target.path + (f"?{target.query}" if target.query else ""), level, url)
            continue
        if level >= depth or visit.status != 200:
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode(response.charset or "utf-8"), url):
            enqueue(link, level + 1, url)
    return result


def crawl_demo_roles(**options) -> list[RoleCrawl]:
    """Crawl as each demo user (one per role; reports.demo.services.DEMO_USERS)."""
    from django.contrib.auth import get_user_model

    from reports.demo.services import DEMO_USERS

    users = get_user_model().objects
    return [
        crawl_user(users.get(username=login.username), role=login.role, **options)
        for login in DEMO_USERS
    ]


def report(crawls: list[RoleCrawl]) -> str:
    lines = []
    for crawl in crawls:
        slowest = max(crawl.visits, key=lambda v: v.seconds, default=None)
        lines.append(
            f"{crawl.role}: {len(crawl.visits)} pages, {len(crawl.failures)} failing, "
            f"{crawl.skipped_by_pattern} links left out as repeats of a pattern"
            + (f", slowest {slowest.url} {slowest.seconds:.2f} s" if slowest else "")
        )
        for visit in crawl.failures:
            lines.append(f"  {visit.status} {visit.url}  (linked from {visit.source})")
            if visit.location:
                lines.append(f"      -> {visit.location}")
            if visit.error:
                lines.append("      " + visit.error.strip().replace("\n", "\n      "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument("--load-demo", action="store_true", help="load the small demo factory")
    parser.add_argument("--json", help="also write every visit to this file")
    parser.add_argument("--per-pattern", type=int, default=2)
    parser.add_argument("--max-pages", type=int, default=250)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if args.migrate:
        call_command("migrate", verbosity=0, interactive=False)
    if args.load_demo:
        from reports.demo.services import load_demo_factory

        load_demo_factory(scale="small")
    crawls = crawl_demo_roles(per_pattern=args.per_pattern, max_pages=args.max_pages)
    print(report(crawls))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({c.role: [asdict(v) for v in c.visits] for c in crawls}, out, indent=1)
    return 1 if any(c.failures for c in crawls) else 0


if __name__ == "__main__":
    sys.exit(main())
