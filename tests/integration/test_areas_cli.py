"""`onegrid areas import`: the report, the exit status, dry runs and idempotent re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.area_version import current_area_version
from services.models.areas import Area, AreaLevel
from tests.factories import make_area

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "areas"
COUNTY = str(FIXTURES / "datav_county_gcj02.json")


@pytest.fixture
def cli(app, container, session):
    city = make_area(session, "321300", name="宿迁市")
    city.level = AreaLevel.CITY
    session.flush()
    return app.test_cli_runner()


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Area))


def test_import_prints_the_report_and_the_counts(cli, session):
    version = current_area_version(session)
    result = cli.invoke(args=["areas", "import", COUNTY, "--crs", "gcj02"])
    assert result.exit_code == 0, result.output
    assert "4 feature(s), format geojson, crs gcj02" in result.output
    assert "0 error(s), 0 warning(s)" in result.output
    assert "imported: 4 created, 0 changed, 0 unchanged" in result.output
    assert _count(session) == 5
    assert current_area_version(session) == version + 1


def test_a_second_import_of_the_same_file_changes_nothing(cli, session):
    assert cli.invoke(args=["areas", "import", COUNTY, "--crs", "gcj02"]).exit_code == 0
    version = current_area_version(session)
    again = cli.invoke(args=["areas", "import", COUNTY, "--crs", "gcj02"])
    assert "imported: 0 created, 0 changed, 4 unchanged" in again.output
    assert current_area_version(session) == version


def test_dry_run_prints_the_plan_and_writes_nothing(cli, session):
    result = cli.invoke(args=["areas", "import", COUNTY, "--crs", "gcj02", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was written (would be 4 created" in result.output
    assert _count(session) == 1


def test_a_file_with_errors_exits_non_zero_and_imports_nothing(cli, session):
    name = str(FIXTURES / "broken_overlap.geojson")
    make_area(session, "321302", parent=session.scalar(select(Area)), name="宿城区")
    result = cli.invoke(args=["areas", "import", name, "--crs", "wgs84"])
    assert result.exit_code == 1
    assert "ERROR   #2 321302006 西街道: It overlaps sibling 321302005 by 50%" in result.output
    assert "the file has errors: nothing was imported" in result.output
    assert _count(session) == 2


def test_the_report_can_be_printed_in_chinese(cli, session):
    name = str(FIXTURES / "broken_invalid.json")
    result = cli.invoke(args=["areas", "import", name, "--crs", "wgs84", "--lang", "zh-CN"])
    assert result.exit_code == 1
    assert "文件无法读取" in result.output


def test_unknown_crs_and_level_are_refused(cli, session):
    result = cli.invoke(args=["areas", "import", COUNTY, "--crs", "EPSG:0"])
    assert result.exit_code == 1
    assert "Unknown coordinate reference system: EPSG:0" in result.output
    bad_level = cli.invoke(args=["areas", "import", COUNTY, "--crs", "gcj02", "--level", "x"])
    assert bad_level.exit_code == 2
    missing = cli.invoke(args=["areas", "import", COUNTY])
    assert missing.exit_code == 2 and "--crs" in missing.output
    assert _count(session) == 1


def test_esri_grids_import_with_field_options(cli, session):
    street = make_area(session, "321302001", name="幸福街道")
    make_area(session, "321302001001", parent=street, name="幸福社区")
    args = [
        "areas",
        "import",
        str(FIXTURES / "esri_grids_epsg4528.json"),
        "--crs",
        "EPSG:4528",
        "--level",
        "grid",
        "--code-field",
        "GRID_CODE",
        "--name-field",
        "GRID_NAME",
        "--parent-field",
        "COMMUNITY",
    ]
    result = cli.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "imported: 3 created" in result.output
    names = session.scalars(select(Area.name).where(Area.level == AreaLevel.GRID)).all()
    assert sorted(names) == ["幸福社区第一网格", "幸福社区第三网格", "幸福社区第二网格"]
