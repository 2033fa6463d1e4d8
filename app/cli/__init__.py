"""`flask --app app award ...`: the commands of CONTRACT.md, one module per area."""

from flask.cli import AppGroup

award_cli = AppGroup("award", help="伊宁市政府质量奖评定管理命令")

from . import (  # noqa: E402,F401
    accounts,
    aftercare,
    benchdata,
    core,
    documents,
    exports,
    notify,
    security,
    workflow,
)
