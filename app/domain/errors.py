"""Errors named for the broken rule of the regulation (RULES.md)."""


class RuleViolation(Exception):
    """A rule of the award was broken; `rule` is its ID (``M-4``), `message` is Chinese first."""

    rule: str = ""
    default_message: str = "违反评定规则"

    def __init__(self, message: str | None = None, *, rule: str | None = None):
        self.rule = rule or self.rule
        self.message = message or self.default_message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.message}（{self.rule}）" if self.rule else self.message


class InvalidInput(RuleViolation):
    """Input that is malformed regardless of the regulation (dates out of order, negatives)."""

    rule = "输入校验"
    default_message = "输入无效"
