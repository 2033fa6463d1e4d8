"""How stored values reach people, shared by the screens (views/) and the API: a stored time
as local time, a download's headers. Formatting only: no queries, no writes."""

from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # as app/security/login_guard.py


def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as an aware local time (templates format it)."""
    if moment is None:
        return None
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(LOCAL_TZ)


def when(moment: datetime | None, seconds: bool = False) -> str:
    """A stored (naive UTC) time as local time, to the minute (or second); no microseconds.
    Empty (None, or the "" FAB's list rows carry for a missing value) is an empty cell."""
    if not moment:
        return ""
    return local(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def attachment_headers(filename: str) -> dict[str, str]:
    """`attachment` with an ASCII fallback and the Chinese name as RFC 5987 `filename*`."""
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").strip() or "document"
    if "." in filename and "." not in ascii_name:
        ascii_name += "." + filename.rpartition(".")[2].encode("ascii", "ignore").decode()
    return {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
