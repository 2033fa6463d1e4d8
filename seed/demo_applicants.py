"""Demo applicant accounts (issue 18): `applicant1` for 伊犁鑫达建筑安装工程有限公司 (its 2026 application
returned for supplement, a 2027 draft begun online), `applicant2` for 王志刚 (an individual)."""

from app.domain.applicant_portal import SELF_ASSESSMENT_PARTS, AccountStatus
from app.domain.enums import ApplicantKind, ApplicationStatus, Prize
from models import ApplicantAccount, Application

from .context import DemoContext, at

# username -> (applicant key, full name)
ACCOUNTS = {"applicant1": ("xinda", "赵鑫"), "applicant2": ("wang_zhigang", "王志刚")}
DRAFT_YEAR = 2027


def load_applicant_accounts(ctx: DemoContext) -> None:
    for username, (key, _name) in ACCOUNTS.items():
        user = ctx.users[username]
        org = ctx.orgs.get(key)
        person = None if org is not None else ctx.people[key]
        ctx.add(
            ApplicantAccount(
                user_id=user.id,
                organization_id=org.id if org else None,
                individual_id=person.id if person else None,
                status=AccountStatus.APPROVED.value,
                contact_name=_name,
                decided_by="office",
                decided_at=at(ctx.today.replace(month=1, day=5)),
            )
        )
    _draft(ctx, ctx.orgs["xinda"])


def _draft(ctx: DemoContext, org) -> None:
    """A draft begun online: basic data and three of the seven self-assessment parts."""
    cycle = ctx.cycles[DRAFT_YEAR]
    ctx.add(
        Application(
            cycle_id=cycle.id,
            number=f"{DRAFT_YEAR}-ZLJ-003",
            prize=Prize.AWARD.value,
            applicant_kind=ApplicantKind.ORGANIZATION.value,
            organization_id=org.id,
            status=ApplicationStatus.DRAFT.value,
            self_assessment={
                key: f"（草稿）本单位{label}方面的做法和成效……"
                for key, label in SELF_ASSESSMENT_PARTS[:3]
            },
            declarations={"no_incidents": True, "truthful": False},
        )
    )
