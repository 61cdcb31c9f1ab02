"""Messages of area administration, geometry checks and boundary import (zh-CN, en).

Merged into ``services.messages.CATALOGUE``; kept apart because the import report alone has
dozens of them.
"""

from __future__ import annotations

AREA_MESSAGES: dict[str, tuple[str, str]] = {
    # area administration
    "area_code_invalid": (
        "区域编码须为 6、9、12 或 15 位数字。",
        "An area code has 6, 9, 12 or 15 digits.",
    ),
    "area_level_mismatch": (
        "编码 {code} 不是{level_zh}级编码。",
        "Code {code} is not a {level} code.",
    ),
    "area_code_taken": ("区域编码已存在。", "This area code is already in use."),
    "area_parent_required": (
        "该层级的区域必须指定上级区域。",
        "An area at this level needs a parent area.",
    ),
    "area_parent_not_allowed": ("市级区域没有上级区域。", "A city has no parent area."),
    "area_parent_mismatch": (
        "编码 {code} 不能作为 {parent} 的下级：区县编码与所属市前 4 位相同，街道、社区、网格编码"
        "以上级编码开头并多 3 位。",
        "Code {code} cannot sit under {parent}: a district shares its city's first 4 digits; "
        "a street, community or grid code is its parent's code plus 3 digits.",
    ),
    "area_parent_retired": ("上级区域已撤销。", "The parent area is retired."),
    "area_retired": ("区域已撤销，不能修改。", "This area is retired and cannot be changed."),
    "area_already_retired": ("区域已撤销。", "This area is already retired."),
    "area_has_active_children": (
        "该区域下还有 {count} 个未撤销的下级区域：请先撤销它们，或设置 cascade 一并撤销。",
        "This area still has {count} active sub-areas: retire them first, or set cascade to "
        "retire them with it.",
    ),
    "area_update_empty": (
        "请提供要修改的名称或边界。",
        "Provide a new name or a new boundary.",
    ),
    "geojson_too_many_features": (
        "该范围内有 {count} 个区域，超过上限 {limit} 个，请减小层级深度。",
        "This subtree has {count} areas, more than the limit of {limit}; ask for less depth.",
    ),
    # geometry
    "geometry_malformed": (
        "边界不是有效的 GeoJSON 面：坐标须为数字组成的 [经度, 纬度] 数组。",
        "The boundary is not a valid GeoJSON polygon: positions are [longitude, latitude] numbers.",
    ),
    "geometry_type": (
        "不支持的几何类型 {type}：边界须为 Polygon 或 MultiPolygon。",
        "Geometry type {type} cannot be used: a boundary is a Polygon or MultiPolygon.",
    ),
    "geometry_ring_short": (
        "边界的每个环至少需要 4 个坐标点。",
        "Every ring of a boundary needs at least 4 positions.",
    ),
    "geometry_ring_open": (
        "边界的环未闭合：首尾坐标须相同。",
        "A ring of the boundary is not closed: its first and last positions must be equal.",
    ),
    "geometry_too_many_vertices": (
        "边界坐标点过多（上限 {limit} 个）。",
        "The boundary has too many positions (the limit is {limit}).",
    ),
    "geometry_out_of_range": (
        "坐标超出 WGS-84 经纬度范围（经度 ±180，纬度 ±90）：坐标系是否正确？",
        "Coordinates lie outside WGS-84 longitude/latitude (±180, ±90): is the coordinate "
        "system right?",
    ),
    "geometry_empty": (
        "边界面积为零或修复后为空。",
        "The boundary has no area, or nothing was left of it after repair.",
    ),
    "geometry_repaired": (
        "边界无效（{reason}），已自动修复。",
        "The boundary was invalid ({reason}) and has been repaired.",
    ),
    # boundary import report
    "import_unreadable": ("文件无法读取：{reason}", "The file cannot be read: {reason}"),
    "import_format_unknown": (
        "无法识别的文件格式：需要 GeoJSON FeatureCollection 或 Esri JSON（features 中含 "
        "attributes 和 geometry）。",
        "Unknown file format: expected a GeoJSON FeatureCollection or Esri JSON (features with "
        "attributes and geometry).",
    ),
    "import_no_features": ("文件中没有要素。", "The file has no features."),
    "import_crs_unknown": (
        "无法识别的坐标系：{crs}。可用 wgs84、gcj02、bd09、EPSG:NNNN、PROJ 字符串或 WKT。",
        "Unknown coordinate reference system: {crs}. Use wgs84, gcj02, bd09, EPSG:NNNN, a PROJ "
        "string or WKT.",
    ),
    "import_crs_declared_differs": (
        "文件声明的坐标系为 {declared}，与指定的 {crs} 不一致；按指定的坐标系转换。",
        "The file declares {declared} but {crs} was given; converting from {crs}.",
    ),
    "import_code_missing": ("缺少区域编码（字段 {field}）。", "No area code (field {field})."),
    "import_name_missing": ("缺少区域名称（字段 {field}）。", "No area name (field {field})."),
    "area_name_invalid": (
        "区域名称须为 1 到 100 个可见字符。",
        "An area name is 1 to 100 visible characters.",
    ),
    "import_code_invalid": (
        "区域编码 {code} 无效：须为 6、9、12 或 15 位数字。",
        "Area code {code} is invalid: it has 6, 9, 12 or 15 digits.",
    ),
    "import_level_mismatch": (
        "编码 {code} 不是{level_zh}级编码。",
        "Code {code} is not a {level} code.",
    ),
    "import_duplicate_code": (
        "编码 {code} 在文件中出现 {count} 次（要素 {features}）。",
        "Code {code} appears {count} times in the file (features {features}).",
    ),
    "import_parent_unknown": (
        "上级区域 {parent} 既不在文件中，也不在数据库中。",
        "Parent area {parent} is neither in the file nor in the database.",
    ),
    "import_parent_missing": (
        "该层级的区域必须有上级区域（用 --parent-field 或 --parent-code 指定）。",
        "An area at this level needs a parent (give --parent-field or --parent-code).",
    ),
    "import_parent_mismatch": (
        "编码 {code} 不能作为 {parent} 的下级。",
        "Code {code} cannot sit under {parent}.",
    ),
    "import_parent_retired": ("上级区域 {parent} 已撤销。", "Parent area {parent} is retired."),
    "import_area_retired": (
        "区域 {code} 已撤销，不能通过导入修改。",
        "Area {code} is retired; an import cannot change it.",
    ),
    "import_moves_area": (
        "区域 {code} 现属于 {current}，文件将其放在 {parent} 下：导入不移动区域。",
        "Area {code} belongs to {current} but the file puts it under {parent}: imports do not "
        "move areas.",
    ),
    "import_geometry_missing": ("要素没有几何图形。", "The feature has no geometry."),
    "import_geometry_curves": (
        "要素含有真曲线（{kind}），不能导入：请先在 GIS 软件中将曲线加密为折线。",
        "The feature has true curves ({kind}) and cannot be imported: densify them into "
        "straight segments in your GIS first.",
    ),
    "import_orphan_hole": (
        "有 {count} 个逆时针环不在任何外环内，已按外环处理。",
        "{count} counter-clockwise ring(s) lie in no exterior ring and were read as exteriors.",
    ),
    "area_outside_parent": (
        "边界有 {percent}% 的面积位于上级区域 {parent} 之外（容差 {tolerance}%）。",
        "{percent}% of the boundary lies outside the parent area {parent} "
        "(tolerance {tolerance}%).",
    ),
    "import_outside_parent": (
        "有 {percent}% 的面积位于上级区域 {parent} 之外（容差 {tolerance}%）。",
        "{percent}% of its area lies outside its parent {parent} (tolerance {tolerance}%).",
    ),
    "import_overlap": (
        "与同级区域 {other} 重叠，重叠面积占较小者的 {percent}%（容差 {tolerance}%）。",
        "It overlaps sibling {other} by {percent}% of the smaller one's area (tolerance "
        "{tolerance}%).",
    ),
}

# How levels are named inside Chinese sentences ("不是{level_zh}级编码").
LEVEL_ZH: dict[str, str] = {
    "city": "市",
    "district": "区县",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
}
