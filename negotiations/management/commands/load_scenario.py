from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from negotiations.services.scenario import ScenarioError, scenario_load, shipped_scenarios


class Command(BaseCommand):
    help = (
        "Load scenario files, one conflict each (by default every file shipped in "
        "negotiations/scenarios/). Running it twice changes nothing. --check validates "
        "without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="FILE", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="Validate the files; write nothing."
        )

    def handle(self, *args, paths: list[Path], check: bool, **options):
        failed: list[str] = []
        for path in paths or shipped_scenarios():
            try:
                report = scenario_load(path=path, check=check)
            except ScenarioError as exc:
                failed.append(f"{exc}\n{path.name}: nothing was loaded from this file.")
                continue
            for warning in report.warnings:
                self.stderr.write(f"warning: {warning}")
            if check:
                self.stdout.write(f"{path.name}: valid.")
            else:
                self.stdout.write(report.summary())
        if failed:
            raise CommandError("\n".join(failed))
