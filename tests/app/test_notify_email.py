"""`flask award remind` e-mails the notices through a real SMTP server on loopback (aiosmtpd):
recipients, Chinese subject and body, the link, nothing confidential, nothing twice, and
nothing lost when the server is down or refuses a message."""

import email
import email.policy
import re
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests.conftest import DEMO_TODAY

BASE_URL = "https://zlj.yining.example"
SENDER = "award-noreply@yining.example"
TODAY = DEMO_TODAY.isoformat()


class Recorder:
    """An SMTP handler that keeps every message; it refuses recipients listed in `refuse`."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "subject": str(msg["Subject"]).strip(),  # Django-style folding: " =?utf-8?b?.."
                "body": msg.get_body(("plain",)).get_content(),
                "charset": msg.get_body(("plain",)).get_content_charset(),
            }
        )
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self, port):
        self.port, self.recorder, self.controller = port, Recorder(), None

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.recorder.messages


@pytest.fixture
def smtp(app, monkeypatch):
    """A loopback SMTP server on a free port (not started yet) and the app configured for it."""
    server = SmtpServer(_free_port())
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": SENDER,
        "MAIL_TIMEOUT": 5,
        "APP_BASE_URL": BASE_URL,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield server
    server.stop()


def remind(app, today=TODAY):
    result = app.test_cli_runner().invoke(args=["award", "remind", "--today", today])
    assert result.exit_code == 0, result.output
    return result.output


def notices(app, username=None):
    from app.extensions import db
    from models import Notification, User

    with app.app_context():
        query = (
            select(Notification).options(joinedload(Notification.user)).order_by(Notification.id)
        )
        if username:
            user_id = db.session.scalar(select(User.id).where(User.username == username))
            query = query.where(Notification.user_id == user_id)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        db.session.remove()
    return rows


def confidential_strings(app) -> dict[str, set[str]]:
    """Every score stored in the database, and every reviewer's name."""
    from app.extensions import db
    from models import Reviewer, ScoreLine, Scoresheet, StageScore

    with app.app_context():
        scores = set()
        for value in [
            *db.session.scalars(select(Scoresheet.total)),
            *db.session.scalars(select(StageScore.total)),
            *db.session.scalars(select(ScoreLine.points)),
        ]:
            if value:
                scores.add(f"{value:.2f}")
        names = set(db.session.scalars(select(Reviewer.name)))
        db.session.remove()
    return {"scores": scores, "names": names}


def test_remind_emails_each_notice_in_chinese_with_its_link_and_nothing_confidential(
    app, demo, smtp
):
    smtp.start()
    out = remind(app)
    stored = notices(app)
    assert stored, "演示数据在该日应有待办提醒"
    assert {n.email_status for n in stored} == {"sent"}, out
    assert len(smtp.messages) == len(stored)
    assert "邮件：发送" in out

    secrets = confidential_strings(app)
    for n in stored:
        address = f"{n.user.username}@award.yining.example"
        assert [m for m in smtp.recorder.to(address) if n.title in m["subject"]], n.title
    for message in smtp.messages:
        assert message["from"] == SENDER
        assert len(message["to"]) == 1
        assert message["charset"] == "utf-8"
        assert message["subject"].startswith("【伊宁市政府质量奖评定管理系统】")
        assert "您好" in message["body"]
        assert re.search(rf"{re.escape(BASE_URL)}/\S+", message["body"]), message["body"]
        text = message["subject"] + message["body"]
        for score in secrets["scores"]:
            assert score not in text, (score, text)
        for name in secrets["names"]:
            assert name not in text, (name, text)


def test_a_reviewers_email_names_their_sheet_and_links_to_its_entry_screen(app, demo, smtp):
    smtp.start()
    remind(app)
    mails = smtp.recorder.to("reviewer2@award.yining.example")
    subjects = sorted(m["subject"] for m in mails)
    assert subjects == [
        "【伊宁市政府质量奖评定管理系统】新的评分任务",
        "【伊宁市政府质量奖评定管理系统】评分表已逾期未提交",
    ]
    for m in mails:
        assert "2025年材料评审第一组" in m["body"]
        assert re.search(rf"{re.escape(BASE_URL)}/scoresheetview/entry/\d+", m["body"])


def test_a_second_run_creates_and_sends_nothing_twice(app, demo, smtp):
    smtp.start()
    first = remind(app)
    count = len(smtp.messages)
    assert count > 0
    second = remind(app)
    assert len(smtp.messages) == count
    assert "新生成站内通知 0 条" in second
    assert "发送 0 封" in second
    assert first != second
    keys = [n.dedupe_key for n in notices(app)]
    assert len(keys) == len(set(keys)) == count


def test_a_server_that_is_down_leaves_notices_failed_and_the_next_run_sends_each_once(
    app, demo, smtp
):
    out = remind(app)  # nothing listens on the port yet
    stored = notices(app)
    assert stored
    assert {n.email_status for n in stored} == {"failed"}, out
    assert all(n.email_attempts == 1 and "不可用" in n.email_error for n in stored)
    assert all(n.read_at is None for n in stored)  # still in the inbox, unread
    assert "失败" in out

    smtp.start()
    remind(app)
    assert len(smtp.messages) == len(stored)
    after = notices(app)
    assert {n.email_status for n in after} == {"sent"}
    assert all(n.email_attempts == 2 and n.email_error is None for n in after)
    assert all(n.emailed_at is not None for n in after)

    remind(app)
    assert len(smtp.messages) == len(stored)


def test_a_refused_recipient_fails_alone_and_is_retried(app, demo, smtp):
    smtp.recorder.refuse.add("reviewer1@award.yining.example")
    smtp.start()
    remind(app)
    mine = notices(app, "reviewer1")
    others = [n for n in notices(app) if n.user.username != "reviewer1"]
    assert mine and {n.email_status for n in mine} == {"failed"}
    assert all("拒收" in n.email_error for n in mine)
    assert others and {n.email_status for n in others} == {"sent"}

    smtp.recorder.refuse.clear()
    remind(app)
    assert {n.email_status for n in notices(app, "reviewer1")} == {"sent"}
    assert len(smtp.recorder.to("reviewer1@award.yining.example")) == len(mine)


def test_a_user_who_turned_email_off_gets_the_notice_in_the_app_only(app, demo, smtp):
    from app.extensions import db
    from app.services import notifications as svc
    from models import User

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "reviewer2"))
        svc.set_email_enabled(user_id, False)
        db.session.remove()
    smtp.start()
    out = remind(app)
    mine = notices(app, "reviewer2")
    assert mine and {n.email_status for n in mine} == {"disabled"}
    assert smtp.recorder.to("reviewer2@award.yining.example") == []
    assert smtp.recorder.to("reviewer1@award.yining.example")  # others still get theirs
    assert "已关闭邮件通知" in out


def test_an_invalid_address_is_reported_to_the_office_once(app, demo, smtp):
    from app.extensions import db
    from models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "reviewer3"))
        user.email = "reviewer3-at-nowhere"
        db.session.commit()
        db.session.remove()
    smtp.start()
    out = remind(app)
    mine = notices(app, "reviewer3")
    assert mine and {n.email_status for n in mine} == {"invalid"}
    assert "reviewer3" in out and "邮箱地址无效" in out
    reports = [n for n in notices(app, "office") if n.kind == "invalid_email"]
    assert len(reports) == 1
    assert "reviewer3" in reports[0].body and "reviewer3-at-nowhere" in reports[0].body
    office_mail = [
        m for m in smtp.recorder.to("office@award.yining.example") if "邮箱地址无效" in m["subject"]
    ]
    assert len(office_mail) == 1
    assert all("reviewer3-at-nowhere" not in m["to"] for m in smtp.messages)

    remind(app)
    assert len([n for n in notices(app, "office") if n.kind == "invalid_email"]) == 1


def test_without_a_mail_server_notices_stay_in_the_app_and_are_sent_once_one_is_set(
    app, demo, smtp, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    out = remind(app)
    assert "未配置邮件服务器" in out
    stored = notices(app)
    assert stored and {n.email_status for n in stored} == {"pending"}

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    smtp.start()
    remind(app)
    assert len(smtp.messages) == len(stored)


def test_a_reopened_sheets_email_leaves_the_reason_in_the_app(app, demo, smtp):
    from app.extensions import db
    from app.services import scoring
    from models import Scoresheet

    with app.app_context():
        sheet = db.session.scalar(
            select(Scoresheet)
            .where(Scoresheet.status == "submitted", Scoresheet.group_id.in_(select_open_group()))
            .order_by(Scoresheet.id)
        )
        scoring.reopen(sheet.id, scoring.Actor("office"), "第3条评分 85.5 分，理由不充分")
        db.session.commit()
        address = f"{sheet.reviewer.user.username}@award.yining.example"
        db.session.remove()
    smtp.start()
    remind(app, "2025-07-20")
    mails = [m for m in smtp.recorder.to(address) if "退回" in m["subject"]]
    assert len(mails) == 1
    assert "85.5" not in mails[0]["body"] and "理由不充分" not in mails[0]["body"]
    assert "登录系统查看" in mails[0]["body"]


def select_open_group():
    from models import ReviewGroup

    return select(ReviewGroup.id).where(ReviewGroup.closed_at.is_(None))


def test_the_link_uses_the_configured_base_url(app, demo, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "APP_BASE_URL", "https://award.gov.example/zlj/")
    smtp.start()
    remind(app, date(2025, 7, 26).isoformat())
    assert smtp.messages
    for m in smtp.messages:
        assert "https://award.gov.example/zlj/" in m["body"]
        assert "https://award.gov.example/zlj//" not in m["body"]


def test_the_base_url_may_come_from_the_environment_and_defaults_to_the_dev_server(
    app, monkeypatch
):
    from app.services import mailer

    monkeypatch.delitem(app.config, "APP_BASE_URL", raising=False)
    monkeypatch.delenv("APP_BASE_URL", raising=False)
    with app.app_context():
        assert mailer.absolute("/notificationview/list/") == (
            "http://127.0.0.1:5000/notificationview/list/"
        )
        monkeypatch.setenv("APP_BASE_URL", "https://award.yining.example/")
        assert mailer.absolute("/x") == "https://award.yining.example/x"
