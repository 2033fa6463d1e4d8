"""Synthetic benchmark data at a given scale, deterministic for a seed, bulk-inserted in batches.

Scale 1: 10,000 organizations, 3,000 individuals, 300 reviewers, 20 cycles, 4,000 applications,
40,000 scoresheets of 23 lines (920,000 score lines), 2,000 follow-up reports, 20,000 audit
entries. The last cycle is the ranking cycle: 1,000 applications x 7 reviewers x 23 items.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.domain.enums import (
    ApplicantKind,
    ApplicationStatus,
    Degree,
    FollowUpStatus,
    LegalForm,
    Prize,
    ReviewStage,
    SheetStatus,
    Stage,
)
from app.domain.identifiers import make_credit_code, make_id_number
from app.domain.scoring import SheetLine, sheet_scores

FIRST_YEAR = 2000  # synthetic cycles 2000-2019: apart from the demo's years
NAME_PREFIX = "基准"
CONCURRENT_REVIEWERS = 50  # bench/load.py: the simulated reviewers, one reviewer record each
BENCH_PASSWORD = "bench12345"  # noqa: S105 - synthetic users of a benchmark database
BATCH = 5_000
MATERIAL_GROUP, ONSITE_GROUP = 7, 4  # reviewers per group: 7 material sheets + 4 on-site
APPS_PER_GROUP = 50
STAMP = datetime(2020, 1, 1, 9, 0)


@dataclass(frozen=True)
class Shape:
    """Row counts at a scale."""

    organizations: int
    individuals: int
    reviewers: int
    cycles: int
    ranking_apps: int
    other_apps: int
    reports_per_award: int = 5
    awards: int = 0
    audit_entries: int = 0

    @classmethod
    def at(cls, scale: float) -> Shape:
        def n(base: int, least: int = 1) -> int:
            return max(least, round(base * scale))

        return cls(
            organizations=n(10_000, 40),
            individuals=n(3_000, 10),
            # At least one reviewer per simulated reviewer of the concurrency benchmark: each
            # signs in as a reviewer of their own (at scale 0.05 there were only 15).
            reviewers=n(300, max(MATERIAL_GROUP + ONSITE_GROUP, CONCURRENT_REVIEWERS)),
            cycles=n(20, 2),
            ranking_apps=n(1_000, 4),
            other_apps=n(3_000, 4),
            awards=n(400, 2),
            audit_entries=n(20_000, 10),
        )

    @property
    def applications(self) -> int:
        return self.ranking_apps + self.other_apps

    @property
    def scoresheets(self) -> int:
        return self.ranking_apps * MATERIAL_GROUP + self.other_apps * (
            MATERIAL_GROUP + ONSITE_GROUP
        )

    def total_rows(self, items: int = 23) -> int:
        """Rows the generator inserts (for a progress bar); close, not exact."""
        sheets = self.scoresheets
        return (
            self.organizations
            + self.individuals
            + 2 * self.reviewers
            + self.cycles
            + 3 * self.applications
            + sheets * (1 + items)
            + self.awards * (1 + self.reports_per_award)
            + self.audit_entries
        )


def _step5(value: float) -> int:
    return int(min(100, max(0, 5 * round(value / 5))))


class Generator:
    """Builds the rows in dependency order; `run()` yields (table name, rows inserted)."""

    def __init__(
        self, session: Session, scale: float = 1.0, seed: int = 1, first_year: int = FIRST_YEAR
    ):
        self.session = session
        self.shape = Shape.at(scale)
        self.first_year = first_year
        self.rng = random.Random(seed)
        self.dialect = session.get_bind().dialect.name

    # -- helpers ---------------------------------------------------------------------------
    def _next_id(self, model) -> int:
        return (self.session.scalar(select(func.max(model.id))) or 0) + 1

    def _insert(self, model, rows: list[dict]) -> int:
        for start in range(0, len(rows), BATCH):
            self.session.execute(insert(model), rows[start : start + BATCH])
        return len(rows)

    def _stream(self, model, rows: Iterator[dict]) -> Iterator[int]:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.session.execute(insert(model), batch)
                yield len(batch)
                batch = []
        if batch:
            self.session.execute(insert(model), batch)
            yield len(batch)

    def _fix_sequences(self, tables: list[str]) -> None:
        """Explicit ids do not advance PostgreSQL's sequences: move them past the new rows."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            self.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )

    def _ts(self, day_offset: int = 0) -> dict:
        at = STAMP + timedelta(days=day_offset)
        return {"created_at": at, "updated_at": at}

    # -- the run ---------------------------------------------------------------------------
    def check_empty(self) -> None:
        from models import AwardCycle

        years = range(self.first_year, self.first_year + self.shape.cycles)
        taken = self.session.scalar(select(func.count()).where(AwardCycle.year.in_(list(years))))
        if taken:
            raise RuntimeError(
                f"数据库中已有 {self.first_year} 年起的基准测试年度，请使用空数据库（或先清空）"
            )

    def run(self) -> Iterator[tuple[str, int]]:
        from models import CriteriaItem, CriteriaVersion

        self.check_empty()
        version = self.session.scalar(select(CriteriaVersion).order_by(CriteriaVersion.id))
        if version is None:
            raise RuntimeError("缺少评价准则，请先载入基础数据（seed-demo 或 sync-roles 之后）")
        self.version_id = version.id
        self.items = [
            (item.id, item.code)
            for item in self.session.scalars(
                select(CriteriaItem)
                .where(CriteriaItem.version_id == version.id)
                .order_by(CriteriaItem.position)
            )
        ]
        from app.services.scoresheets import criteria_of

        # Points, total and category sums as the app computes them (M-19.2, one rule).
        self.spec = criteria_of(version.id).spec
        from models import Industry

        self.industries = list(self.session.scalars(select(Industry.code).order_by(Industry.code)))
        yield "organization", self._organizations()
        yield "individual", self._individuals()
        yield "reviewer", self._reviewers()
        yield "award_cycle", self._cycles()
        yield "application", self._applications()
        yield "review_group", self._groups()
        for count in self._scoresheets():
            yield "score_line", count
        yield "award", self._awards()
        yield "audit_entry", self._audit()
        self._fix_sequences(
            [
                "organization",
                "individual",
                "reviewer",
                "award_cycle",
                "application",
                "review_group",
                "review_group_member",
                "review_assignment",
                "scoresheet",
                "score_line",
                "award",
                "follow_up_report",
                "audit_entry",
            ]
        )

    def _organizations(self) -> int:
        from models import Organization

        rng, start = self.rng, self._next_id(Organization)
        forms = [f.value for f in LegalForm]
        districts = ["伊宁市", "伊宁县", "霍城县", "察布查尔县", "巩留县", "新源县", "特克斯县"]
        rows = []
        for k in range(self.shape.organizations):
            i = start + k
            rows.append(
                {
                    "id": i,
                    "name": f"{NAME_PREFIX}组织{i:05d}有限公司",
                    "credit_code": make_credit_code(f"92654004{i:09d}"),
                    "legal_form": rng.choice(forms),
                    "district": rng.choice(districts),
                    "industry_code": rng.choice(self.industries),
                    "operating_since": date(1990, 1, 1) + timedelta(days=rng.randrange(9000)),
                    "trademark_exempt": False,
                    "compulsory_licence_required": False,
                    "employees": rng.randrange(5, 5000),
                    "version": 1,
                    **self._ts(),
                }
            )
        self.org_ids = [r["id"] for r in rows]
        return self._insert(Organization, rows)

    def _individuals(self) -> int:
        from app.security.crypto import blind_index
        from models import Individual
        from models.encrypted import pii_key

        rng, start = self.rng, self._next_id(Individual)
        key = pii_key()
        rows = []
        for k in range(self.shape.individuals):
            i = start + k
            birth = date(1960, 1, 1) + timedelta(days=i // 1000)
            number = make_id_number(f"654004{birth:%Y%m%d}{i % 1000:03d}")
            rows.append(
                {
                    "id": i,
                    "name": f"{NAME_PREFIX}个人{i:05d}",
                    "id_number": number,  # encrypted by its column type
                    "id_number_hash": blind_index(number, key),  # bulk insert: no flush event
                    "employer_id": rng.choice(self.org_ids),
                    "position": "质量经理",
                    "works_in_yining": True,
                    "quality_work_since": date(2005, 1, 1),
                    "education": Degree.BACHELOR.value,
                    "version": 1,
                    **self._ts(),
                }
            )
        self.person_ids = [r["id"] for r in rows]
        return self._insert(Individual, rows)

    def _reviewers(self) -> int:
        """Reviewers, each with a login `bench-rNNNN` in the Reviewer role (one shared hash)."""
        from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
        from werkzeug.security import generate_password_hash

        from app.security.roles import ADMIN, REVIEWER
        from models import Reviewer

        rng, start = self.rng, self._next_id(Reviewer)
        hashed = generate_password_hash(BENCH_PASSWORD)
        codes = [f"B{start + k:04d}" for k in range(self.shape.reviewers)]
        users = [
            {
                "first_name": "评审",
                "last_name": code,
                "username": f"bench-{code.lower()}",
                "password": hashed,
                "active": True,
                "email": f"bench-{code.lower()}@bench.invalid",
                "created_on": STAMP,
                "changed_on": STAMP,
            }
            for code in codes
        ]
        if self.session.scalar(select(User.id).where(User.username == "bench-admin")) is None:
            users.append(
                {
                    "first_name": "基准",
                    "last_name": "管理员",
                    "username": "bench-admin",
                    "password": hashed,
                    "active": True,
                    "email": "bench-admin@bench.invalid",
                    "created_on": STAMP,
                    "changed_on": STAMP,
                }
            )
        self.session.execute(insert(User), users)
        user_ids = dict(
            self.session.execute(
                select(User.username, User.id).where(User.username.like("bench-%"))
            ).all()
        )
        role_ids = dict(self.session.execute(select(Role.name, Role.id)).all())
        links = [
            {"user_id": user_ids[u["username"]], "role_id": role_ids[REVIEWER]}
            for u in users
            if u["username"] != "bench-admin"
        ]
        if any(u["username"] == "bench-admin" for u in users):
            links.append({"user_id": user_ids["bench-admin"], "role_id": role_ids[ADMIN]})
        self.session.execute(insert(assoc_user_role), links)
        degrees = [Degree.BACHELOR.value, Degree.MASTER.value, Degree.DOCTORATE.value]
        rows = []
        for k, code in enumerate(codes):
            rows.append(
                {
                    "id": start + k,
                    "code": code,
                    "name": f"{NAME_PREFIX}专家{code}",
                    "user_id": user_ids[f"bench-{code.lower()}"],
                    "employer_id": rng.choice(self.org_ids),
                    "employer_name": "伊宁市质量协会",
                    "title": "高级工程师",
                    "degree": rng.choice(degrees),
                    "quality_work_since": date(2000, 1, 1),
                    "excellence_reviews_done": rng.randrange(0, 10),
                    "law_training_on": date(2019, 5, 1),
                    "integrity_pledge_on": date(2019, 5, 1),
                    "industries": ",".join(sorted(rng.sample(self.industries, 2))),
                    "active": True,
                    "version": 1,
                    **self._ts(),
                }
            )
        inserted = self._insert(Reviewer, rows) + len(users)
        # Groups draw on every reviewer, earlier runs' too: a second run adds to their lists.
        self.reviewer_ids = list(self.session.scalars(select(Reviewer.id).order_by(Reviewer.id)))
        return inserted

    def _cycles(self) -> int:
        from models import AwardCycle

        start = self._next_id(AwardCycle)
        rows = []
        for k in range(self.shape.cycles):
            year = self.first_year + k
            last = k == self.shape.cycles - 1
            rows.append(
                {
                    "id": start + k,
                    "year": year,
                    "name": f"{NAME_PREFIX}{year}年度质量奖",
                    "stage": (Stage.COMPREHENSIVE if last else Stage.CLOSED).value,
                    "opens_on": date(year, 3, 1),
                    "deadline": date(year, 5, 31),
                    "criteria_version_id": self.version_id,
                    "budget": Decimal("1000000.00"),
                    "award_quota": 2,  # M-4: the database refuses more
                    "nomination_quota": 2,
                    "version": 1,
                    **self._ts(),
                }
            )
        self.cycle_ids = [r["id"] for r in rows]
        self.cycle_year = {r["id"]: r["year"] for r in rows}
        self.ranking_cycle_id = self.cycle_ids[-1]
        return self._insert(AwardCycle, rows)

    def _applications(self) -> int:
        """Applications: the ranking cycle's, then the others spread over the older cycles."""
        from models import Application

        rng, next_id = self.rng, self._next_id(Application)
        older = self.cycle_ids[:-1]
        per_cycle: dict[int, int] = {self.ranking_cycle_id: self.shape.ranking_apps}
        for k, cid in enumerate(older):
            per_cycle[cid] = self.shape.other_apps // len(older) + (
                1 if k < self.shape.other_apps % len(older) else 0
            )
        rows = []
        for cid, count in per_cycle.items():
            year = self.cycle_year[cid]
            n_people = min(len(self.person_ids), count // 5)
            orgs = rng.sample(self.org_ids, min(len(self.org_ids), count - n_people))
            people = rng.sample(self.person_ids, n_people)
            closed = cid != self.ranking_cycle_id
            for n, (kind, applicant) in enumerate(
                [("organization", o) for o in orgs] + [("individual", p) for p in people], 1
            ):
                is_org = kind == "organization"
                rows.append(
                    {
                        "id": next_id,
                        "cycle_id": cid,
                        "number": f"B{year}-{n:05d}",
                        "prize": (Prize.AWARD if is_org and n % 4 else Prize.NOMINATION).value,
                        "applicant_kind": (
                            ApplicantKind.ORGANIZATION if is_org else ApplicantKind.INDIVIDUAL
                        ).value,
                        "organization_id": applicant if is_org else None,
                        "individual_id": None if is_org else applicant,
                        "status": (
                            ApplicationStatus.NOT_AWARDED if closed else ApplicationStatus.FINALIST
                        ).value,
                        "submitted_on": date(year, 5, 1) + timedelta(days=n % 30),
                        "paper_copies": 2,
                        "version": 1,
                        **self._ts(),
                    }
                )
                next_id += 1
        self.apps_by_cycle: dict[int, list[int]] = {}
        for row in rows:
            self.apps_by_cycle.setdefault(row["cycle_id"], []).append(row["id"])
        return self._insert(Application, rows)

    def _groups(self) -> int:
        """Per cycle: material groups of 7 and (older cycles) on-site groups of 4, 50 apps each."""
        from models import ReviewAssignment, ReviewGroup, ReviewGroupMember

        gid, mid, aid = (
            self._next_id(ReviewGroup),
            self._next_id(ReviewGroupMember),
            self._next_id(ReviewAssignment),
        )
        groups, members, assignments = [], [], []
        # Members in turn, like a load-balanced assignment: every reviewer gets groups.
        rotation = itertools.cycle(self.reviewer_ids)
        self.sheet_plan: list[tuple[int, int, str, list[int]]] = []  # (group, app, stage, revs)
        for cid, apps in self.apps_by_cycle.items():
            year = self.cycle_year[cid]
            stages = [(ReviewStage.MATERIAL, MATERIAL_GROUP)]
            if cid != self.ranking_cycle_id:
                stages.append((ReviewStage.ONSITE, ONSITE_GROUP))
            for stage, size in stages:
                for g, first in enumerate(range(0, len(apps), APPS_PER_GROUP), 1):
                    revs = [next(rotation) for _ in range(size)]
                    closed = cid != self.ranking_cycle_id
                    groups.append(
                        {
                            "id": gid,
                            "cycle_id": cid,
                            "stage": stage.value,
                            "name": f"{year}年{stage.label}第{g}组",
                            "due_on": date(year, 8, 1),
                            "closed_at": datetime(year, 8, 1, 17) if closed else None,
                            "version": 1,
                            **self._ts(),
                        }
                    )
                    for pos, rid in enumerate(revs):
                        members.append(
                            {
                                "id": mid,
                                "group_id": gid,
                                "reviewer_id": rid,
                                "is_leader": pos == 0,
                                **self._ts(),
                            }
                        )
                        mid += 1
                    for app_id in apps[first : first + APPS_PER_GROUP]:
                        assignments.append(
                            {
                                "id": aid,
                                "group_id": gid,
                                "application_id": app_id,
                                "stage": stage.value,
                                **self._ts(),
                            }
                        )
                        aid += 1
                        self.sheet_plan.append((gid, app_id, stage.value, revs))
                    gid += 1
        return (
            self._insert(ReviewGroup, groups)
            + self._insert(ReviewGroupMember, members)
            + self._insert(ReviewAssignment, assignments)
        )

    def _scoresheets(self) -> Iterator[int]:
        """Submitted sheets with their 23 lines; the points, total and category sums as the
        submit use case stores them (app.domain.scoring.sheet_scores)."""
        from models import ScoreLine, Scoresheet

        rng = self.rng
        sheet_id, line_id = self._next_id(Scoresheet), self._next_id(ScoreLine)
        sheets: list[dict] = []
        lines: list[dict] = []
        for gid, app_id, stage, revs in self.sheet_plan:
            base = rng.gauss(65, 10)
            for rid in revs:
                bias = rng.gauss(0, 4)
                percents = [_step5(base + bias + rng.gauss(0, 8)) for _item in self.items]
                scores = sheet_scores(
                    self.spec,
                    [
                        SheetLine(code, p)
                        for (_id, code), p in zip(self.items, percents, strict=True)
                    ],
                )
                for (item_id, code), percent in zip(self.items, percents, strict=True):
                    lines.append(
                        {
                            "id": line_id,
                            "scoresheet_id": sheet_id,
                            "item_id": item_id,
                            "percent": percent,
                            "points": scores.items[code],
                        }
                    )
                    line_id += 1
                sheets.append(
                    {
                        "id": sheet_id,
                        "application_id": app_id,
                        "group_id": gid,
                        "reviewer_id": rid,
                        "stage": stage,
                        "is_consensus": False,
                        "status": SheetStatus.SUBMITTED.value,
                        "total": scores.total,
                        "category_sums": scores.as_submitted(),
                        "submitted_at": STAMP,
                        "version": 1,
                        **self._ts(),
                    }
                )
                sheet_id += 1
            if len(lines) >= 20 * BATCH:
                yield self._insert(Scoresheet, sheets) + self._insert(ScoreLine, lines)
                sheets, lines = [], []
        yield self._insert(Scoresheet, sheets) + self._insert(ScoreLine, lines)

    def _awards(self) -> int:
        """Awards in the older cycles, each with its yearly follow-up reports (M-27)."""
        from models import Award, FollowUpReport

        rng = self.rng
        award_id, report_id = self._next_id(Award), self._next_id(FollowUpReport)
        older = self.cycle_ids[:-1]
        awards, reports = [], []
        for k in range(self.shape.awards):
            cid = older[k % len(older)]
            app_id = self.apps_by_cycle[cid][k // len(older)]
            year = self.cycle_year[cid]
            awards.append(
                {
                    "id": award_id,
                    "application_id": app_id,
                    "cycle_id": cid,
                    "prize": Prize.NOMINATION.value,
                    "certificate_no": f"B{year}-Z{k:05d}",
                    "awarded_on": date(year, 12, 1),
                    "amount": Decimal("30000.00"),
                    "revoked": False,
                    "version": 1,
                    **self._ts(),
                }
            )
            for r in range(self.shape.reports_per_award):
                ry = year + 1 + r
                reports.append(
                    {
                        "id": report_id,
                        "award_id": award_id,
                        "report_year": ry,
                        "due_on": date(ry + 1, 2, 28),
                        "status": rng.choice(
                            [FollowUpStatus.ACCEPTED.value, FollowUpStatus.RECEIVED.value]
                        ),
                        "received_on": date(ry + 1, 2, 10),
                        "revenue": Decimal(rng.randrange(1_000_000, 900_000_000)),
                        "profit": Decimal(rng.randrange(-1_000_000, 90_000_000)),
                        "accidents_declared": False,
                        "failed_sampling_declared": False,
                        "penalties_declared": False,
                        "version": 1,
                        **self._ts(),
                    }
                )
                report_id += 1
            award_id += 1
        return self._insert(Award, awards) + self._insert(FollowUpReport, reports)

    def _audit(self) -> int:
        """Audit entries that continue the existing chain (verify-audit stays green)."""
        from types import SimpleNamespace

        from app.services.audit import CLI, GENESIS, mac_of, preferred_algorithm
        from models import AuditEntry

        rng = self.rng
        last = self.session.execute(
            select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        prev = last.hash if last else GENESIS
        start = self._next_id(AuditEntry)
        apps = [a for ids in self.apps_by_cycle.values() for a in ids]
        algorithm = preferred_algorithm()
        rows = []
        for k in range(self.shape.audit_entries):
            app_id = rng.choice(apps)
            row = {
                "id": start + k,
                "at": STAMP + timedelta(minutes=k),
                "username": "bench-admin",
                "origin": CLI,
                "action": "eligibility",
                "object_type": "Application",
                "object_id": app_id,
                "cycle_id": None,
                "application_id": app_id,
                "summary": f"申报 {app_id} 资格审查通过",
                "reason": None,
                "details": {},
                "prev_hash": prev,
                "algorithm": algorithm,
            }
            row["hash"] = prev = mac_of(SimpleNamespace(**row))
            rows.append(row)
        return self._insert(AuditEntry, rows)


def generate(
    session: Session,
    scale: float = 1.0,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    first_year: int = FIRST_YEAR,
) -> dict[str, int]:
    """Fill the database; the caller commits. Returns rows inserted per step.

    A second call with another `first_year` adds a second set beside the first."""
    done: dict[str, int] = {}
    for table, count in Generator(session, scale, seed, first_year).run():
        done[table] = done.get(table, 0) + count
        if progress:
            progress(count)
    return done
