"""The third-party agencies (M-6) and the accounts of their staff; the Office maintains them."""

from flask_babel import lazy_gettext as _

from models import Agency

from .base import AwardModelView


class AgencyView(AwardModelView):
    model, title = Agency, _("第三方机构")
    scoped_rows = True  # an agency's staff see their own agency only
    list_columns = ["name", "credit_code", "contact_name", "contact_phone"]
    search_columns = ["name", "credit_code"]
    add_columns = edit_columns = ["name", "credit_code", "contact_name", "contact_phone", "users"]
    show_columns = ["name", "credit_code", "contact_name", "contact_phone", "users"]
    description_columns = {
        "name": _("受市场监督管理局委托组织评审的第三方机构（M-6）"),
        "users": _("角色为「第三方机构」的账号；一个账号只属于一家机构"),
    }
