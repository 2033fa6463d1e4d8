"""Errors named for the broken rule of the regulation (RULES.md).

Each kind of error answers with one HTTP status, mapped once (app/api_errors.py): a rule
refused 422, a record not found 404, an action forbidden 403, a stale record 409."""


class RuleViolation(Exception):
    """A rule of the award was broken; `rule` is its ID (``M-4``), `message` is Chinese first.

    `fields` optionally names the offending input fields, each with its own message."""

    rule: str = ""
    default_message: str = "违反评定规则"
    status: int = 422

    def __init__(
        self,
        message: str | None = None,
        *,
        rule: str | None = None,
        fields: dict[str, str] | None = None,
    ):
        self.rule = rule or self.rule
        self.message = message or self.default_message
        self.fields = fields
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.message}（{self.rule}）" if self.rule else self.message


class InvalidInput(RuleViolation):
    """Input that is malformed regardless of the regulation (dates out of order, negatives)."""

    rule = "输入校验"
    default_message = "输入无效"


class StaleRecord(RuleViolation):
    """The record changed since the client read it (optimistic locking, `version` column):
    nothing was saved. `version` is the record's current version when known."""

    rule = "并发保护"
    default_message = "该记录已被他人修改，请刷新后重试，您的修改未保存"
    status = 409

    def __init__(self, message: str | None = None, *, version: int | None = None, **kw):
        self.version = version
        super().__init__(message, **kw)


class RecordNotFound(RuleViolation):
    """The record does not exist or is outside what the user may see."""

    rule = ""
    default_message = "记录不存在或不在您可见的范围内"
    status = 404


class Forbidden(RuleViolation):
    """The user's role may not do this."""

    rule = ""
    default_message = "当前角色无此权限"
    status = 403
