"""Reference data: GB/T 4754-2017 industry sections and the GB/T 19580-2012 criteria (M-14, M-16)."""

import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.criteria import load_criteria
from models import CriteriaCategory, CriteriaItem, CriteriaVersion, Industry

HERE = Path(__file__).resolve().parent
CRITERIA_FILE = HERE / "gbt19580-2012.json"
SECTIONS_FILE = HERE / "gbt4754-2017-sections.json"

GBT19580_2012 = "GB/T 19580-2012"
GBT19580_2012_NAME = "卓越绩效评价准则（GB/T 19580-2012）"
# Published 2012-03-09, in force from 2012-08-01; M-16 staleness counts from publication.
GBT19580_2012_PUBLISHED_ON = date(2012, 3, 9)


@cache
def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def criteria_data() -> dict:
    return _json(CRITERIA_FILE)


def section_data() -> list[dict]:
    return _json(SECTIONS_FILE)["sections"]


def load_industries(session: Session) -> int:
    """Insert the GB/T 4754-2017 sections that are missing; returns how many were added."""
    existing = set(session.scalars(select(Industry.code)))
    added = 0
    for section in section_data():
        if section["code"] not in existing:
            session.add(
                Industry(
                    code=section["code"], name_zh=section["name_zh"], name_en=section["name_en"]
                )
            )
            added += 1
    session.flush()
    return added


def load_gbt19580_2012(session: Session) -> CriteriaVersion:
    """The GB/T 19580-2012 version; created once and never edited in place (M-16)."""
    found = session.scalar(select(CriteriaVersion).where(CriteriaVersion.code == GBT19580_2012))
    if found is not None:
        return found
    data = criteria_data()
    parsed = load_criteria(data)  # refuses a file whose points do not add up
    version = CriteriaVersion(
        code=parsed.code,
        name=GBT19580_2012_NAME,
        published_on=GBT19580_2012_PUBLISHED_ON,
        total_points=parsed.total_points,
        note="2012-03-09 发布，2012-08-01 实施。第 4.7 类目即《办法》所称“经营结果”。",
    )
    session.add(version)
    session.flush()
    position = 0
    for cat_position, category in enumerate(parsed.categories, start=1):
        cat_row = CriteriaCategory(
            version_id=version.id,
            code=category.code,
            name_zh=category.name_zh,
            name_en=category.name_en,
            kind=category.kind,
            points=Decimal(category.points),
            position=cat_position,
        )
        session.add(cat_row)
        session.flush()
        for item in category.items:
            position += 1
            session.add(
                CriteriaItem(
                    version_id=version.id,
                    category_id=cat_row.id,
                    code=item.code,
                    name_zh=item.name_zh,
                    name_en=item.name_en,
                    points=Decimal(item.points),
                    position=position,
                )
            )
    session.flush()
    return version


def load_reference(session: Session) -> None:
    """Industries and criteria; safe to run again (adds only what is missing)."""
    load_industries(session)
    load_gbt19580_2012(session)
