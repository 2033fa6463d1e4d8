"""Public pages without login (M-8.6, M-19.6, M-21, M-26): nothing confidential appears."""

from datetime import date

from flask import Blueprint, render_template
from sqlalchemy import select

from app.domain.enums import ApplicationStatus, Prize, RevocationGround
from app.extensions import db
from models import Application, Award, AwardCycle, PublicNotice, RevocationCase

public_bp = Blueprint("public", __name__, url_prefix="/public")


@public_bp.route("/")
def index():
    today = date.today()
    notice = db.session.scalar(
        select(PublicNotice)
        .where(PublicNotice.published_at.is_not(None))
        .order_by(PublicNotice.starts_on.desc())
        .limit(1)
    )
    candidates = []
    if notice is not None:
        candidates = db.session.scalars(
            select(Application)
            .where(
                Application.cycle_id == notice.cycle_id,
                Application.status == ApplicationStatus.PROPOSED.value,
            )
            .order_by(Application.prize, Application.number)
        ).all()
    return render_template(
        "public/index.html",
        notice=notice,
        candidates=candidates,
        today=today,
        prize_label=lambda p: Prize(p).label,
    )


@public_bp.route("/winners")
def winners():
    rows = db.session.execute(
        select(AwardCycle.year, Award.prize, Award.certificate_no, Application)
        .join(Award, Award.cycle_id == AwardCycle.id)
        .join(Application, Application.id == Award.application_id)
        .where(Award.revoked.is_(False))
        .order_by(AwardCycle.year.desc(), Award.prize, Award.certificate_no)
    ).all()
    by_year: dict[int, list] = {}
    for year, prize, cert, application in rows:
        by_year.setdefault(year, []).append((Prize(prize).label, application.applicant_name, cert))
    return render_template("public/winners.html", by_year=by_year)


@public_bp.route("/revocations")
def revocations():
    rows = db.session.execute(
        select(RevocationCase, Award, AwardCycle.year, Application)
        .join(Award, Award.id == RevocationCase.award_id)
        .join(AwardCycle, AwardCycle.id == Award.cycle_id)
        .join(Application, Application.id == Award.application_id)
        .where(RevocationCase.published.is_(True))
        .order_by(RevocationCase.approved_on.desc())
    ).all()
    items = [
        {
            "applicant": application.applicant_name,
            "year": year,
            "prize": Prize(award.prize).label,
            "ground": RevocationGround(case.ground).label,
            "approved_on": case.approved_on,
            "document_no": case.approval_document_no,
        }
        for case, award, year, application in rows
    ]
    return render_template("public/revocations.html", items=items)
