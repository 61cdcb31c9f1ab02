"""Messages of reading reports: plain-language statuses, timeline actors, filter errors.

Merged into ``services.messages.CATALOGUE``.
"""

from __future__ import annotations

REPORT_READ_MESSAGES: dict[str, tuple[str, str]] = {
    # What a resident reads about their report's status: what is happening, not the workflow term.
    "report_status_reported": (
        "已提交，等待受理",
        "Received; waiting to be reviewed",
    ),
    "report_status_filed": ("已受理，正在安排处理", "Accepted; being assigned for handling"),
    "report_status_rejected": ("未予受理", "Not accepted"),
    "report_status_merged": (
        "已与相同问题的上报合并处理",
        "Merged with an earlier report of the same problem",
    ),
    "report_status_dispatched": ("已交由责任部门处理", "Passed to the responsible department"),
    "report_status_in_progress": ("正在处理", "Being dealt with"),
    "report_status_resolved": ("已处理，正在核查", "Dealt with; being checked"),
    "report_status_closed": ("已办结", "Closed"),
    # Who did something, as a resident sees it: never a staff member's name.
    "report_actor_me": ("我", "You"),
    "report_actor_staff": ("工作人员", "Staff"),
    "report_actor_resident": ("居民", "Resident"),
    "report_actor_system": ("系统", "System"),
    # filters of the staff list and map
    "report_filter_unknown_category": (
        "没有编码为 {code} 的类别。",
        "No category has the code {code}.",
    ),
    "report_filter_unknown_area": ("没有该区域。", "No such area."),
    "report_filter_dates_inverted": (
        "开始时间不能晚于结束时间。",
        "created_from must not be later than created_to.",
    ),
    "report_filter_bbox_invalid": (
        "范围须为 最小经度,最小纬度,最大经度,最大纬度（WGS-84），且最小值不大于最大值。",
        "bbox is min_lng,min_lat,max_lng,max_lat (WGS-84), each minimum not above its maximum.",
    ),
    "report_geojson_too_many": (
        "符合条件的上报有 {count} 条，超过地图上限 {limit} 条，请缩小范围或增加筛选条件。",
        "{count} reports match, more than the map's limit of {limit}; narrow the filters.",
    ),
}

# Names for NotFound messages.
REPORT_READ_OBJECTS: dict[str, tuple[str, str]] = {
    "report": ("上报事项", "Report"),
}
