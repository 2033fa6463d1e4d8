"""Screens for reference data: criteria versions (M-16), industries, holidays, stage moves."""

from flask_babel import lazy_gettext as _

from models import CriteriaItem, CriteriaVersion, Industry, NoticeHoliday, StageMove

from . import readable
from .action_forms import CriteriaApprovalMixin  # the Committee's approval (M-7)
from .base import AwardModelView


class CriteriaItemView(AwardModelView):
    model, title = CriteriaItem, _("评价条目")
    eager = ("category",)
    list_columns = ["code", "name_zh", "points", "category"]
    # The English name and the sort position are not for the Chinese screens (issue 16).
    show_columns = ["category", "code", "name_zh", "points"]
    search_columns = ["code", "name_zh"]
    base_order = ("position", "asc")
    base_permissions = ["can_list", "can_show"]
    page_size = 25


class CriteriaVersionView(CriteriaApprovalMixin, AwardModelView):
    model, title = CriteriaVersion, _("评价准则版本")
    list_columns = ["code", "name", "published_on", "total_points", "approved_at", "approval_ref"]
    show_columns = [
        "code",
        "name",
        "published_on",
        "total_points",
        "note",
        "approved_at",
        "approved_by",
        "approval_ref",
    ]
    show_template = "award/criteria_show.html"
    add_columns = edit_columns = ["code", "name", "published_on", "note"]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    description_columns = {
        "published_on": _("准则每 5 年修订一次；超过 5 年的版本在新建年度时提示（M-16）")
    }


class IndustryView(AwardModelView):
    model, title = Industry, _("行业门类（GB/T 4754-2017）")
    list_columns = show_columns = ["code", "name_zh"]
    base_order = ("code", "asc")
    base_permissions = ["can_list", "can_show"]


class NoticeHolidayView(AwardModelView):
    model, title = NoticeHoliday, _("法定节假日")
    list_columns = ["day", "name"]
    add_columns = edit_columns = ["day", "name"]
    base_order = ("day", "desc")


class StageMoveView(AwardModelView):
    model, title = StageMove, _("阶段变更记录")
    eager = ("cycle",)
    list_columns = ["cycle", "from_stage", "to_stage", "moved_at", "moved_by"]
    formatters_columns = {"from_stage": readable.stage_label, "to_stage": readable.stage_label}
    base_order = ("moved_at", "desc")
    base_permissions = ["can_list", "can_show"]
