from pathlib import Path

import pytest
from django.conf import settings

from negotiations.ingest.extract import Gazetteer

SCENARIO_DIR = Path(settings.BASE_DIR) / "negotiations" / "scenarios"
SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_gazetteer() -> Gazetteer:
    return Gazetteer.from_scenario(SCENARIO_DIR / "russia-ukraine.json")


@pytest.fixture(scope="session")
def seed_report() -> str:
    return (SCENARIO_DIR / "afp-trump-putin-call.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gazetteers():
    from negotiations.ingest.extract import Gazetteers
    from negotiations.services.scenario import shipped_scenarios

    return Gazetteers.from_scenarios(shipped_scenarios())
