import time

from django.core.management.base import BaseCommand, CommandError

from erp.errors import DomainError
from reports.demo.generator import SCALES
from reports.demo.services import DEMO_USERS, load_demo_factory


class Command(BaseCommand):
    help = (
        "Load the demo factory (items, BOMs, customers, two years of orders) and one user per role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--force", action="store_true", help="import again even if loaded")

    def handle(self, *args, scale: str, force: bool, **options):
        started = time.monotonic()
        try:
            report = load_demo_factory(
                scale=scale, force=force, progress=lambda m: self.stdout.write(m, ending="\n")
            )
        except DomainError as exc:
            errors = getattr(exc, "errors", None) or []
            for err in errors[:50]:
                self.stderr.write(str(err))
            raise CommandError(f"demo factory not loaded: {exc}") from exc
        if report is None:
            self.stdout.write("Demo factory already loaded (use --force to import it again).")
        else:
            self.stdout.write(
                f"Demo factory ({scale}) loaded in {time.monotonic() - started:.1f} s."
            )
        self.stdout.write("")
        self.stdout.write("Logins (change these passwords before real use):")
        for login in DEMO_USERS:
            self.stdout.write(f"  {login.role:<11} {login.username:<11} password: {login.password}")
