"""Public pages without login (M-8.6, M-19.6, M-21, M-26).

Only what the regulation makes public is read here: the notice, the names and prizes of the
candidates and winners, and approved revocations. Never scores, reviewers, documents,
contact data or objections (M-24, M-25).
"""

from datetime import date

from flask import Blueprint, render_template
from sqlalchemy import select

from app.domain.enums import ApplicationStatus, Prize, RevocationGround
from app.extensions import db
from models import Application, Award, AwardCycle, PublicNotice, RevocationCase
from models.base import utcnow

public_bp = Blueprint("public", __name__, url_prefix="/public")

# Applications named on a notice: proposed, or awarded after it (a revoked award drops out).
ON_NOTICE = (ApplicationStatus.PROPOSED.value, ApplicationStatus.AWARDED.value)


def _notice_state(notice: PublicNotice, today: date) -> str:
    if today < notice.starts_on:
        return "尚未开始"
    if today > notice.ends_on:
        return "已结束"
    return f"公示中，还剩 {(notice.ends_on - today).days + 1} 天"


@public_bp.route("/")
def index():
    today = date.today()
    notice = db.session.scalar(
        select(PublicNotice)
        .where(PublicNotice.published_at.is_not(None), PublicNotice.published_at <= utcnow())
        .order_by(PublicNotice.starts_on.desc(), PublicNotice.id.desc())
        .limit(1)
    )
    page: dict = {"notice": None, "candidates": []}
    if notice is not None:
        rows = db.session.execute(
            select(Application, Award.revoked)
            .outerjoin(Award, Award.application_id == Application.id)
            .where(Application.cycle_id == notice.cycle_id, Application.status.in_(ON_NOTICE))
            .order_by(Application.prize, Application.number)
        ).all()
        page["notice"] = {
            "title": notice.title,
            "starts_on": notice.starts_on,
            "ends_on": notice.ends_on,
            "working_days": notice.working_days,
            "state": _notice_state(notice, today),
            "open": notice.starts_on <= today <= notice.ends_on,
            "body": notice.body,
            "how_to_object": notice.how_to_object,
        }
        page["candidates"] = [
            {"prize": Prize(a.prize).label, "name": a.applicant_name}
            for a, revoked in rows
            if not revoked
        ]
    title = page["notice"]["title"] if page["notice"] else "公示"
    return render_template("public/index.html", page_title=title, **page)


@public_bp.route("/winners")
def winners():
    rows = db.session.execute(
        select(AwardCycle.year, Award.prize, Award.certificate_no, Award.awarded_on, Application)
        .join(Award, Award.cycle_id == AwardCycle.id)
        .join(Application, Application.id == Award.application_id)
        .where(Award.revoked.is_(False))
        .order_by(AwardCycle.year.desc(), Award.prize, Award.certificate_no)
    ).all()
    by_year: dict[int, list[dict]] = {}
    for year, prize, cert, awarded_on, application in rows:
        by_year.setdefault(year, []).append(
            {
                "prize": Prize(prize).label,
                "name": application.applicant_name,
                "certificate_no": cert,
                "awarded_on": awarded_on,
                # M-21: the award mark is always used with the year awarded.
                "mark": f"{year}年度获奖",
            }
        )
    return render_template("public/winners.html", page_title="历届获奖名单", by_year=by_year)


@public_bp.route("/revocations")
def revocations():
    rows = db.session.execute(
        select(RevocationCase, Award, AwardCycle.year, Application)
        .join(Award, Award.id == RevocationCase.award_id)
        .join(AwardCycle, AwardCycle.id == Award.cycle_id)
        .join(Application, Application.id == Award.application_id)
        .where(RevocationCase.published.is_(True), Award.revoked.is_(True))
        .order_by(RevocationCase.approved_on.desc(), RevocationCase.id.desc())
    ).all()
    items = [
        {
            "applicant": application.applicant_name,
            "year": year,
            "prize": Prize(award.prize).label,
            "certificate_no": award.certificate_no,
            "ground": RevocationGround(case.ground).label,
            "approved_on": case.approved_on,
            "document_no": case.approval_document_no,
        }
        for case, award, year, application in rows
    ]
    return render_template("public/revocations.html", page_title="撤销公告", items=items)


# Issue 18: applicants register here (public, CSRF, rate-limited; app/applicant_register.py).
from app.applicant_register import register_page  # noqa: E402

public_bp.add_url_rule("/register", view_func=register_page, methods=["GET", "POST"])
