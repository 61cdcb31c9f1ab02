"""Case statistics: GET /api/v1/stats/cases."""
