from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from negotiations.services.scenario import DEFAULT_SCENARIO, ScenarioError, scenario_load


class Command(BaseCommand):
    help = "Load a scenario file (the seed scenario by default). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SCENARIO), type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            report = scenario_load(path=path)
        except ScenarioError as exc:
            raise CommandError(f"{exc}\nNothing was loaded.") from exc
        self.stdout.write(report.summary())
