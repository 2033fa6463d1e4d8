"""The public pages (M-8.6, M-19.6, M-21, M-26): without login, the current notice with its
period and how to object, the winners by year, and published revocations; nothing
confidential (M-24, M-25): no scores, reviewers, documents, contact data or objections."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.services import aftercare as svc
from models import (
    Application,
    ApplicationDocument,
    Award,
    AwardCycle,
    Individual,
    Objection,
    Organization,
    PublicNotice,
    Recommender,
    Reviewer,
    RevocationCase,
    Scoresheet,
    StageScore,
)
from tests import factories as f
from tests.app.test_after_builders import award, text

PAGES = {
    "/public/": "伊宁市政府质量奖",
    "/public/winners": "历届获奖名单 - 伊宁市政府质量奖",
    "/public/revocations": "撤销公告 - 伊宁市政府质量奖",
}


def _pages(app) -> dict[str, str]:
    client = app.test_client()
    out = {}
    for path in PAGES:
        resp = client.get(path)
        assert resp.status_code == 200, path
        out[path] = text(resp)
    return out


def _scores(values) -> set[str]:
    out = set()
    for v in values:
        if v is not None and v >= 10:
            out |= {str(v), str(v.normalize()), f"{v:.1f}", f"{v:.2f}"}
    return out


def _confidential(db) -> set[str]:
    """Everything from the database that must never appear on a public page."""
    s = db.session
    public_contacts = " ".join(s.scalars(select(PublicNotice.how_to_object)))
    secrets = set()
    for r in s.scalars(select(Reviewer)):
        secrets |= {r.name, r.code, r.phone, r.email, r.id_number}
    for o in s.scalars(select(Organization)):
        secrets |= {o.contact_phone, o.contact_email, o.contact_name}
    for p in s.scalars(select(Individual)):
        secrets |= {p.phone, p.email, p.id_number}
    for d in s.scalars(select(ApplicationDocument)):
        secrets |= {d.filename, d.stored_name}
    for o in s.scalars(select(Objection)):
        secrets |= {o.content, o.objector_name, o.objector_contact, o.resolution}
    for c in s.scalars(select(RevocationCase)):
        secrets |= {c.evidence, c.verification_note, c.review_note, c.dismissed_reason}
    # The Office's own published number (in the notice's how-to-object text) is public.
    secrets |= {
        r.contact_phone
        for r in s.scalars(select(Recommender))
        if r.contact_phone and r.contact_phone not in public_contacts
    }
    secrets |= _scores(s.scalars(select(Scoresheet.total)))
    secrets |= _scores(s.scalars(select(StageScore.total)))
    return {x for x in secrets if x and len(x) >= 2}


# --- on the demo data ------------------------------------------------------------------------
@pytest.fixture
def demo_pages(app, demo):
    return _pages(app)


def test_the_public_pages_need_no_login_have_titles_and_load_nothing_from_outside(demo_pages):
    for path, title in PAGES.items():
        page = demo_pages[path]
        assert "<title>" in page and title in page.split("</title>")[0]
        assert not re.search(r"""(src|href)=["'](https?:)?//""", page), path
        assert "/static/appbuilder/css/bootstrap.min.css" in page
        assert 'lang="zh-CN"' in page


def test_the_notice_page_shows_the_current_notice_its_period_candidates_and_how_to_object_M_19_6(
    app, demo_pages
):
    from app.extensions import db

    page = demo_pages["/public/"]
    with app.app_context():
        notice = db.session.scalar(select(PublicNotice).order_by(PublicNotice.starts_on.desc()))
        names = [
            a.applicant_name
            for a in db.session.scalars(
                select(Application).where(
                    Application.cycle_id == notice.cycle_id,
                    Application.status.in_(("proposed", "awarded")),
                )
            )
        ]
        assert notice.title in page.split("</title>")[0]
        assert f"公示期：{notice.starts_on} 至 {notice.ends_on}" in page
        # The demo's newest notice runs around the demo's today (a demonstration cycle).
        assert ("已结束" if date.today() > notice.ends_on else "公示中") in page
    assert names and all(name in page for name in names)
    assert 'id="how-to-object"' in page and "异议" in page
    assert "匿名异议仅作登记" in page and "真实姓名" in page


def test_the_winners_page_lists_winners_by_year_with_the_year_awarded_M_21(app, demo_pages):
    from app.extensions import db

    page = demo_pages["/public/winners"]
    with app.app_context():
        for aw in db.session.scalars(select(Award)):
            year = db.session.get(AwardCycle, aw.cycle_id).year
            name = aw.application.applicant_name
            assert f"{year}年度获奖" in page
            if aw.revoked:
                assert name not in page  # listed under revocations instead
            else:
                assert name in page and aw.certificate_no in page
    assert page.index("2024年度") < page.index("2021年度")  # newest first


def test_the_revocations_page_lists_published_revocations_M_26(app, demo_pages):
    from app.extensions import db

    page = demo_pages["/public/revocations"]
    with app.app_context():
        cases = db.session.scalars(
            select(RevocationCase).where(RevocationCase.published.is_(True))
        ).all()
        assert cases
        for case in cases:
            assert case.award.application.applicant_name in page
            assert case.approval_document_no in page
    assert "五年内不得申报" in page


def test_no_public_page_shows_scores_reviewers_documents_contacts_or_objections_M_24_M_25(
    app, demo_pages
):
    from app.extensions import db

    with app.app_context():
        secrets = _confidential(db)
    assert len(secrets) > 50  # the demo has reviewers, scores, documents and objections
    for path, page in demo_pages.items():
        leaked = sorted(s for s in secrets if s in page)
        assert leaked == [], f"{path} 泄露了：{leaked}"


# --- on factories ------------------------------------------------------------------------------
def _proposed(db, cycle, **org):
    applicant = f.organization(db.session, **org)
    application = Application(
        cycle_id=cycle.id,
        number=f"{cycle.year}-ZLJ-0{applicant.id}",
        prize="award",
        applicant_kind="organization",
        organization_id=applicant.id,
        status="proposed",
    )
    db.session.add(application)
    db.session.flush()
    return application


def test_only_a_published_notice_is_shown_and_only_names_and_prizes_of_candidates(app, db):
    cycle = f.cycle(db.session, year=date.today().year, stage="public_notice")
    shown = _proposed(db, cycle, contact_phone="13912345678", contact_name="联系人甲")
    db.session.add(
        PublicNotice(
            cycle_id=cycle.id,
            title="拟表彰对象公示（测试）",
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=6),
            how_to_object="请向市质评办书面反映",
            published_at=None,
        )
    )
    db.session.commit()
    client = app.test_client()
    page = text(client.get("/public/"))
    assert "拟表彰对象公示（测试）" not in page and "当前没有正在进行的公示" in page
    notice = db.session.scalar(select(PublicNotice))
    notice.published_at = datetime.now() - timedelta(minutes=1)
    db.session.add(
        Objection(
            notice_id=notice.id,
            application_id=shown.id,
            objector_name="异议人乙",
            objector_contact="13800001111",
            content="异议内容不公开",
            received_on=date.today(),
        )
    )
    db.session.commit()
    page = text(client.get("/public/"))
    assert "拟表彰对象公示（测试）" in page and "公示中，还剩 7 天" in page
    assert shown.applicant_name in page and "政府质量奖" in page
    for secret in ("13912345678", "联系人甲", "异议人乙", "13800001111", "异议内容不公开"):
        assert secret not in page
    assert shown.number not in page  # application numbers are internal


def test_a_revocation_appears_publicly_only_once_approved(app, db):
    a = award(db.session, 2023, paid=Decimal("200000.00"))
    name = a.application.applicant_name
    case = RevocationCase(
        award_id=a.id,
        ground="loss",
        evidence="2024年度亏损 120 万元（内部核实材料）",
        status="reviewed",
        opened_on=date(2025, 3, 5),
    )
    db.session.add(case)
    db.session.commit()
    client = app.test_client()
    assert name not in text(client.get("/public/revocations"))
    assert name in text(client.get("/public/winners"))
    svc.take_step(
        case.id,
        "approve",
        {"Office"},
        approved_on=date(2025, 6, 1),
        document_no="伊市政函〔2025〕20号",
    )
    page = text(client.get("/public/revocations"))
    assert name in page and "伊市政函〔2025〕20号" in page and "2023年度" in page
    assert "当年效益出现亏损" in page
    assert "内部核实材料" not in page
    assert name not in text(client.get("/public/winners"))


def test_the_public_pages_work_on_an_empty_database(app, db):
    pages = _pages(app)
    assert "当前没有正在进行的公示" in pages["/public/"]
    assert "暂无获奖名单" in pages["/public/winners"]
    assert "暂无撤销公告" in pages["/public/revocations"]
