"""Boundary import throughput: N grid squares in CGCS2000 Gauss-Krüger zone 40 (EPSG:4528),
Esri JSON, into a fresh SQLite database; first import, dry run and idempotent re-import."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from pyproj import Transformer
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services import migrate
from services.actors import Actor
from services.area_import import ImportOptions, import_areas
from services.db import make_engine, make_session_factory
from services.models.areas import Area, AreaLevel

COLUMNS, ROWS, CELL = 50, 40, 0.002  # 2 000 grids of about 185 m x 220 m


def grid_file() -> bytes:
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4528", always_xy=True)
    features = []
    for n in range(COLUMNS * ROWS):
        col, row = divmod(n, ROWS)
        x, y = 118.20 + col * CELL, 33.90 + row * CELL
        lngs, lats = [x, x, x + CELL, x + CELL, x], [y, y + CELL, y + CELL, y, y]  # clockwise
        gx, gy = to_gk.transform(lngs, lats)
        ring = [[round(a, 3), round(b, 3)] for a, b in zip(gx, gy, strict=True)]
        community, grid = divmod(n, 999)  # 999 grids per community
        code = f"321302001{community + 1:03d}{grid + 1:03d}"
        features.append(
            {"attributes": {"code": code, "name": f"网格{n + 1}"}, "geometry": {"rings": [ring]}}
        )
    return json.dumps({"spatialReference": {"wkid": 4528}, "features": features}).encode()


def parents(session: Session, count: int) -> None:
    """A city, a district, a street and enough communities for 999 grids each."""
    city = Area(code="321300", name="宿迁市", level=AreaLevel.CITY, path="/321300/")
    district = Area(
        code="321302", name="宿城区", level=AreaLevel.DISTRICT, parent=city, path="/321300/321302/"
    )
    street = Area(
        code="321302001",
        name="街道",
        level=AreaLevel.STREET,
        parent=district,
        path="/321300/321302/321302001/",
    )
    session.add_all([city, district, street])
    for c in range(1, count + 1):
        code = f"321302001{c:03d}"
        session.add(
            Area(
                code=code,
                name=f"社区{c}",
                level=AreaLevel.COMMUNITY,
                parent=street,
                path=f"{street.path}{code}/",
            )
        )
    session.commit()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="onegrid-bench-"))
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    total = COLUMNS * ROWS
    data = grid_file()
    with factory() as session:
        parents(session, total // 999 + 1)
    actor = Actor.system("bench")
    for label, options in (
        ("dry run", ImportOptions(crs="EPSG:4528", dry_run=True)),
        ("first import", ImportOptions(crs="EPSG:4528")),
        ("re-import (no change)", ImportOptions(crs="EPSG:4528")),
    ):
        with factory() as session:
            start = time.perf_counter()
            report = import_areas(session, actor=actor, data=data, options=options)
            elapsed = time.perf_counter() - start
        assert report.ok, report.lines()[:5]
        print(
            f"{label:<24} {total} grids  {elapsed:6.2f} s  {total / elapsed:7.0f} features/s  "
            f"(created {report.created}, changed {report.changed}, unchanged {report.unchanged})"
        )


if __name__ == "__main__":
    main()
